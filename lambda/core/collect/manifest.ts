/** Bedrock's `manifest.json.out`, read defensively and compared with what the lines said. */
import type { LineStats } from './shard-outputs';

/** The manifest's counters; each is `undefined` when absent or not a number. */
export interface Manifest {
  readonly totalRecordCount?: number;
  readonly processedRecordCount?: number;
  readonly successRecordCount?: number;
  readonly errorRecordCount?: number;
  readonly inputTokenCount?: number;
  readonly outputTokenCount?: number;
}

const FIELDS = [
  'totalRecordCount',
  'processedRecordCount',
  'successRecordCount',
  'errorRecordCount',
  'inputTokenCount',
  'outputTokenCount',
] as const;

/** The manifest's counters, or `undefined` when `value` is not an object. */
export function parseManifest(value: unknown): Manifest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const manifest: Record<string, number> = {};
  for (const field of FIELDS) {
    const n = (value as Record<string, unknown>)[field];
    if (typeof n === 'number' && Number.isFinite(n)) manifest[field] = n;
  }
  return manifest;
}

/** Names of the manifest counters that disagree with the lines (empty when they agree). */
export function manifestDisagreements(manifest: Manifest, stats: LineStats): string[] {
  const pairs: [string, number | undefined, number][] = [
    ['processedRecordCount', manifest.processedRecordCount, stats.lines],
    ['successRecordCount', manifest.successRecordCount, stats.answered],
    ['errorRecordCount', manifest.errorRecordCount, stats.failed],
  ];
  if (stats.withoutUsage === 0) {
    pairs.push(['inputTokenCount', manifest.inputTokenCount, stats.inputTokens]);
    pairs.push(['outputTokenCount', manifest.outputTokenCount, stats.outputTokens]);
  }
  return pairs
    .filter(([, said, seen]) => said !== undefined && said !== seen)
    .map(([name, said, seen]) => `${name} ${said} (lines: ${seen})`);
}

/**
 * Tokens for a job: from the lines, unless some answered lines carried no usage and the manifest has
 * the totals, then the manifest's.
 */
export function jobTokens(
  stats: LineStats,
  manifest: Manifest | undefined,
): { input: number; output: number } {
  if (stats.withoutUsage > 0 && manifest?.inputTokenCount !== undefined) {
    return { input: manifest.inputTokenCount, output: manifest.outputTokenCount ?? stats.outputTokens };
  }
  return { input: stats.inputTokens, output: stats.outputTokens };
}
