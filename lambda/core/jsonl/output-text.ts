/**
 * The `modelOutput` of a Bedrock output line as the line spells it, so results.jsonl can carry it without
 * serialising the parsed body again: `JSON.stringify` of the body, with every quote and line break of the
 * answer escaped once more, was about a tenth of Collect's instructions (bench/RESULTS.md, sixth session).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The JSON text of the top-level `modelOutput` member of `line`, a line that `JSON.parse` accepted and
 * whose `recordId` is `recordId`; `undefined` when the line is not laid out as Bedrock writes it
 * (`{..."modelOutput":{...},"recordId":"…"}`, or `modelOutput` last). The text found is the member's
 * value exactly: it starts at the first `"modelOutput":` of the line (Bedrock's `modelInput`, which comes
 * before, holds no such key), it is one balanced object, and only the object's end, or `recordId` and the
 * end, follow it, which no nested or repeated member can satisfy.
 *
 * @example modelOutputText('{"modelOutput":{"a":1},"recordId":"7"}', '7') // '{"a":1}'
 */
export function modelOutputText(line: string, recordId: unknown): string | undefined {
  const key = line.indexOf('"modelOutput":');
  if (key < 0) return undefined;
  const start = key + '"modelOutput":'.length;
  const end = objectEnd(line, start);
  if (end < 0) return undefined;
  const rest = line.length - end;
  if (rest === 1 && line.charCodeAt(end) === 0x7d) return line.slice(start, end);
  if (typeof recordId !== 'string' && typeof recordId !== 'number') return undefined;
  const tail = `,"recordId":${JSON.stringify(recordId)}}`;
  return rest === tail.length && line.endsWith(tail) ? line.slice(start, end) : undefined;
}

/** The index after the object that opens at `start` (strings skipped), or -1 when none opens there. */
function objectEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== 0x7b) return -1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** The index of the quote closing the string that opens at `open` (an even run of backslashes before it). */
function stringEnd(text: string, open: number): number {
  for (let i = text.indexOf('"', open + 1); i >= 0; i = text.indexOf('"', i + 1)) {
    let slashes = 0;
    while (text.charCodeAt(i - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return i;
  }
  return -1;
}
