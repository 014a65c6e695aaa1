import type { RenderedOutcome } from '../collect/rendered';

/**
 * How rows that share one record split its tokens: each of the `n` rows gets `floor(total / n)`, and the
 * remainder goes one token each to the earliest rows (the row that made the record first, then its
 * duplicates in row order). The shares add up to the record's tokens, so the per-row figures still sum
 * to summary.json's totals.
 */

/**
 * The share of `total` for the `index`-th (0-based, in row order) of `rows` rows.
 *
 * @example [0, 1, 2].map((i) => tokenShare(10, 3, i)) // [4, 3, 3]
 */
export function tokenShare(total: number, rows: number, index: number): number {
  if (rows <= 1) return total;
  const base = Math.floor(total / rows);
  return base + (index < total % rows ? 1 : 0);
}

/**
 * `rendered` with its token cells replaced by `input` and `output` (both files); unchanged when it has
 * no token usage (an error or missing outcome).
 */
export function withTokens(rendered: RenderedOutcome, input: number, output: number): RenderedOutcome {
  const t = rendered.tokens;
  if (t === undefined) return rendered;
  const cell = (n: number | undefined) => (n === undefined ? '' : String(n));
  const json = (n: number | undefined) => (n === undefined ? 'null' : String(n));
  const inTok = t.input === undefined ? undefined : input;
  const outTok = t.output === undefined ? undefined : output;
  const csv = splice(
    rendered.csv,
    t.csvAt,
    `${cell(t.input)},${cell(t.output)}`,
    `${cell(inTok)},${cell(outTok)}`,
  );
  const members = splice(
    rendered.json,
    t.jsonAt,
    `"input_tokens":${json(t.input)},"output_tokens":${json(t.output)}`,
    `"input_tokens":${json(inTok)},"output_tokens":${json(outTok)}`,
  );
  return {
    ...rendered,
    inputTokens: inTok,
    outputTokens: outTok,
    csv,
    json: members,
    tokens: { input: inTok, output: outTok, csvAt: t.csvAt, jsonAt: t.jsonAt },
  };
}

/** `text` with the ASCII `from` at byte `at` replaced by `to`. */
function splice(text: string | Uint8Array, at: number, from: string, to: string): Buffer {
  const bytes =
    typeof text === 'string'
      ? Buffer.from(text, 'utf8')
      : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  if (bytes.toString('latin1', at, at + from.length) !== from) {
    throw new Error(`Token cells not where the rendering put them (${from})`);
  }
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(to, 'latin1'), bytes.subarray(at + from.length)]);
}
