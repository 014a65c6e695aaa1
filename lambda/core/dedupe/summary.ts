/**
 * summary.json's `dedupe` and `rerun` blocks (kept apart from run.ts so other blocks merge easily).
 */
import { costOf } from '../collect/cost';
import type { DedupeTotals } from './collect-dedupe';

/** `dedupe` in summary.json (present when the pipeline dedupes). */
export interface DedupeSummary {
  /** Rows served by another row's answer (not sent). */
  readonly duplicateRows: number;
  /** Their records' tokens, once per duplicate row: what sending them would have used. */
  readonly savedTokens: { readonly input: number; readonly output: number };
  /** An estimate of the money saved: `savedTokens` at the run's price (batch, or on demand); `null` unpriced. */
  readonly savedUsd: number | null;
}

/** `fingerprint` in summary.json: see lambda/core/rerun/fingerprint.ts. */
export type { RunFingerprint } from '../rerun/fingerprint';

/** `rerun` in summary.json (present in a re-run). */
export interface RerunSummary {
  /** The run whose results this one completes. */
  readonly previousRunId: string;
  /** Rows carried over as `ok` (not sent again; `reused_from` in results.jsonl). */
  readonly reusedRows: number;
}

/** The `dedupe` block from the join's totals. */
export function dedupeSummary(
  modelId: string,
  totals: DedupeTotals,
  mode: 'batch' | 'on-demand',
): DedupeSummary {
  const cost = costOf(modelId, totals.savedTokens, mode);
  return {
    duplicateRows: totals.duplicateRows,
    savedTokens: totals.savedTokens,
    savedUsd: mode === 'batch' ? cost.batchUsd : cost.onDemandUsd,
  };
}
