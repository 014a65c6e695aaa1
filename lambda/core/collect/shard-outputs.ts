/**
 * A shard's Bedrock outputs, indexed by recordId. Lines arrive in any order, from one or more
 * `.jsonl.out` files; outcomes go to the spill store, bucketed by the row's position in the shard, and
 * only `recordId -> reference` stays in memory.
 */
import { type OutputMode, readOutputLine } from '../jsonl/outcome';
import { encodeRendered, type OutcomeRenderer } from './rendered';
import type { SpillStore } from './spill';
import type { WarningLog } from './warnings';

/** Where one record's outcome is, and whether Bedrock answered it (`modelOutput`) or reported an error. */
export interface IndexedRecord {
  readonly ref: number;
  readonly answered: boolean;
}

/** What the lines of one shard said, counted as the manifest counts them. */
export interface LineStats {
  /** Readable record lines (duplicates included). */
  lines: number;
  /** Lines with `modelOutput`. */
  answered: number;
  /** Lines with `error`. */
  failed: number;
  unreadable: number;
  duplicates: number;
  inputTokens: number;
  outputTokens: number;
  /** Answered lines whose body carried no token usage. */
  withoutUsage: number;
  /** Readable lines whose recordId is not a row of the shard. */
  extra: number;
}

/** Rows per spill bucket: a bucket is what the store holds in memory while rows are written. */
export const BUCKET_ROWS = 500;

/** A shard's outputs, ready to be joined. */
export interface ShardIndex {
  readonly records: Map<string, IndexedRecord>;
  readonly stats: LineStats;
}

/**
 * Reads every output line of a shard. `positions` maps each of the shard's recordIds to its position
 * in the sidecar. A duplicate recordId keeps the answered line over an error line, else the first;
 * unreadable lines and unknown ids are counted. Never throws on bad data.
 */
export async function indexShardOutputs(
  lines: AsyncIterable<string>,
  positions: ReadonlyMap<string, number>,
  mode: OutputMode,
  renderer: OutcomeRenderer,
  store: SpillStore,
  warnings: WarningLog,
  shard: number,
): Promise<ShardIndex> {
  const records = new Map<string, IndexedRecord>();
  const stats: LineStats = {
    lines: 0,
    answered: 0,
    failed: 0,
    unreadable: 0,
    duplicates: 0,
    inputTokens: 0,
    outputTokens: 0,
    withoutUsage: 0,
    extra: 0,
  };
  for await (const line of lines) {
    const read = readOutputLine(line, mode);
    if (read === undefined) {
      stats.unreadable++;
      continue;
    }
    const { answered } = read;
    stats.lines++;
    if (answered) {
      stats.answered++;
      if (read.outcome.inputTokens === undefined) stats.withoutUsage++;
      stats.inputTokens += read.outcome.inputTokens ?? 0;
      stats.outputTokens += read.outcome.outputTokens ?? 0;
    } else stats.failed++;
    const position = positions.get(read.recordId);
    if (position === undefined) {
      stats.extra++;
      continue;
    }
    const previous = records.get(read.recordId);
    if (previous !== undefined) {
      stats.duplicates++;
      if (previous.answered || !answered) continue;
    }
    const rendered = encodeRendered(renderer.render(read.outcome, read.tail()));
    const ref = await store.put(Math.floor(position / BUCKET_ROWS), rendered);
    records.set(read.recordId, { ref, answered });
  }
  warnings.add(
    'UNREADABLE_OUTPUT_LINE',
    'output lines that are not records (truncated or malformed JSON, no recordId, no modelOutput or error)',
    shard,
    stats.unreadable,
  );
  warnings.add('EXTRA_RECORD', 'output lines whose recordId is not a row of the shard', shard, stats.extra);
  warnings.add(
    'DUPLICATE_RECORD',
    'output lines repeating a recordId already seen (one line kept)',
    shard,
    stats.duplicates,
  );
  return { records, stats };
}
