/**
 * The text printed when a local run ends: counts, tokens, cost at batch and on-demand prices, and where
 * the files are; or the failure's code and reason.
 */
import { readFile } from 'node:fs/promises';
import { formatDuration } from './progress';
import type { RunOutcome } from './run';

interface SummaryFile {
  readonly runId?: string;
  readonly modelId?: string;
  readonly mode?: 'batch' | 'on-demand';
  readonly counts?: Record<string, number>;
  readonly tokens?: { readonly input?: number; readonly output?: number };
  readonly cost?: { readonly batchUsd?: number | null; readonly onDemandUsd?: number | null };
  readonly jobs?: readonly unknown[];
}

/** summary.json of a finished run, when it was written. */
export async function readSummary(outcome: RunOutcome): Promise<SummaryFile | undefined> {
  const path = outcome.files['summary.json'];
  if (path === undefined) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as SummaryFile;
}

/** Dollars to four decimals; a cost too small for that keeps two significant digits rather than reading $0.0000. */
const usd = (value: number | null | undefined) => {
  if (value === null || value === undefined) return 'n/a (no price known for this model)';
  return value > 0 && value < 0.00005 ? `$${value.toPrecision(2)}` : `$${value.toFixed(4)}`;
};
const count = (value: number | undefined) => (value ?? 0).toLocaleString('en-US');

/** The closing report, as lines. */
export function formatOutcome(
  outcome: RunOutcome,
  summary: SummaryFile | undefined,
  outDir: string,
  elapsedMs: number,
): string[] {
  const lines: string[] = [];
  if (outcome.status === 'succeeded') {
    lines.push(`Run ${outcome.runId} succeeded in ${formatDuration(elapsedMs)}.`);
  } else {
    lines.push(`Run ${outcome.runId ?? '(not started)'} FAILED in ${formatDuration(elapsedMs)}.`);
    lines.push(`  code:    ${outcome.error?.code ?? 'UNKNOWN'}`);
    lines.push(`  reason:  ${outcome.error?.message ?? ''}`);
  }
  if (summary !== undefined) {
    const c = summary.counts ?? {};
    lines.push(
      `  rows:    ${count(c.input)} (ok ${count(c.ok)}, error ${count(c.error)}, rejected ${count(c.rejected)}, missing ${count(c.missing)})`,
    );
    const onDemand = summary.mode === 'on-demand';
    lines.push(
      onDemand
        ? `  model:   ${summary.modelId ?? '?'} on demand (below the batch minimum, no batch job)`
        : `  model:   ${summary.modelId ?? '?'} in ${summary.jobs?.length ?? 0} batch job(s)`,
    );
    lines.push(`  tokens:  ${count(summary.tokens?.input)} in, ${count(summary.tokens?.output)} out`);
    lines.push(
      onDemand
        ? `  cost:    ${usd(summary.cost?.onDemandUsd)} on demand`
        : `  cost:    ${usd(summary.cost?.batchUsd)} batch vs ${usd(summary.cost?.onDemandUsd)} on demand`,
    );
  }
  const names = Object.keys(outcome.files);
  lines.push(
    names.length === 0 ? `  files:   none written to ${outDir}` : `  files:   ${outDir}/{${names.join(',')}}`,
  );
  if (outcome.files['report.html'] !== undefined) lines.push(`  report:  ${outDir}/report.html`);
  lines.push(`  workflow: ${formatDuration(outcome.simulatedMs)} simulated, ${stateLine(outcome)}`);
  return lines;
}

function stateLine(outcome: RunOutcome): string {
  const largest = outcome.largestState;
  if (largest === undefined) return 'no state measured';
  return `largest state ${(largest.bytes / 1024).toFixed(1)} KiB of 256 KiB (${largest.where})`;
}
