/**
 * Reading the previous run for a re-run: its summary.json (fingerprint, counts) and the rows its
 * results.jsonl lists as `ok`, streamed into a {@link RowSet}.
 */
import { previousStatus } from './carried-rows';
import type { PreviousRun } from './fingerprint';
import { RowSet } from './row-set';

/** The `ok` rows of a results.jsonl, from its lines. */
export async function okRows(lines: AsyncIterable<string>): Promise<RowSet> {
  const rows = new RowSet();
  for await (const line of lines) {
    const status = previousStatus(line);
    if (status?.status === 'ok') rows.add(status.row);
  }
  return rows;
}

/** The parts of summary.json a re-run reads; `undefined` when it is not a summary. */
export function previousRunOf(summary: unknown): PreviousRun | undefined {
  if (typeof summary !== 'object' || summary === null) return undefined;
  const s = summary as Record<string, unknown>;
  if (typeof s.runId !== 'string') return undefined;
  return {
    runId: s.runId,
    ...(typeof s.fingerprint === 'object' && s.fingerprint !== null
      ? { fingerprint: s.fingerprint as PreviousRun['fingerprint'] }
      : {}),
    ...(typeof s.counts === 'object' && s.counts !== null
      ? { counts: s.counts as PreviousRun['counts'] }
      : {}),
  };
}
