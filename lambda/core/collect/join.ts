/**
 * The join, per shard in order: read the row sidecar once for the recordIds' positions, index the
 * outputs by recordId (outcomes spilled in position buckets), then stream the sidecar again and write
 * one result row per data row; rejected rows are merged in by row number. Memory is bounded by one
 * shard's ids and one spill bucket, never by the file.
 */

import { RowErrorCode } from '../contract/errors';
import type { DedupeJoin } from '../dedupe/collect-dedupe';
import type { OutputMode } from '../jsonl/outcome';
import { ParsedLines } from '../jsonl/parsed-lines';
import { parseRejectedLine, type RejectedRow } from '../jsonl/sidecar';
import { parseSidecarBytes, sidecarBytesRecordId } from '../jsonl/sidecar-bytes';
import { jobTokens, manifestDisagreements, parseManifest } from './manifest';
import { decodeRendered, encodeRendered, type RowOutcome } from './rendered';
import type { ResultWriter } from './result-writer';
import { indexShardOutputs, type ShardIndex } from './shard-outputs';
import { emitSideRowsBefore, type SideRows } from './side-rows';
import type { SpillStore } from './spill';
import type { WarningLog } from './warnings';

/**
 * A shard and the job that ran it (absent when no job was created for it), and the failure that ended
 * it when the job could not be created or did not finish (its rows without output are `missing` with it).
 */
export interface ShardJob {
  readonly shard: number;
  readonly records: number;
  readonly job?: { readonly jobArn: string; readonly status: string };
  readonly failure?: { readonly code: string; readonly message: string };
}

/** Where the join reads from; every method streams. */
export interface JoinSources {
  /** The shard's row sidecar lines, in input order (as bytes, cells can be copied without parsing). */
  sidecarLines(shard: number): AsyncIterable<string | Buffer>;
  /** The lines of every `.jsonl.out` of the shard's job, in any order. */
  outputLines(shard: number): AsyncIterable<string>;
  /** The parsed `manifest.json.out` of the shard's job, or `undefined` when there is none. */
  manifest(shard: number): Promise<unknown>;
  /** The rejected-rows lines, in row order. */
  rejectedLines(): AsyncIterable<string>;
  /** True when a second round wrote the record's line (asked after the shard's lines were read). */
  replaced?(shard: number, recordId: string): boolean;
}

/** One job's line in summary.json. */
export interface JobSummary {
  readonly shard: number;
  readonly jobArn: string | null;
  readonly status: string | null;
  readonly records: number;
  readonly ok: number;
  readonly error: number;
  readonly missing: number;
  readonly tokens: { readonly input: number; readonly output: number };
}

/** What the join adds up while writing. */
export interface JoinTotals {
  readonly tokens: { input: number; output: number };
  readonly jobs: JobSummary[];
  /** Rows a second round answered `ok`. */
  readonly recovered: number;
}

/** Rows merged into the join besides the shards' and the rejected ones. */
export interface JoinExtras {
  /** Dedupe: duplicate rows, given their record's outcome. */
  readonly dedupe?: DedupeJoin;
  /** Other row streams in row order (a re-run's carried-over rows). */
  readonly sides?: readonly SideRows[];
}

/** The shards in the order the join reads them: by shard number. */
export function inJoinOrder<T extends { readonly shard: number }>(shards: readonly T[]): T[] {
  return [...shards].sort((a, b) => a.shard - b.shard);
}

/** Runs the join, writing every row through `writer`. */
export async function joinRows(
  shards: readonly ShardJob[],
  mode: OutputMode,
  sources: JoinSources,
  store: SpillStore,
  writer: ResultWriter,
  warnings: WarningLog,
  extras: JoinExtras = {},
): Promise<JoinTotals> {
  const rejected = new RejectedMerge(sources.rejectedLines()[Symbol.asyncIterator](), writer, warnings);
  const { dedupe } = extras;
  const sides: SideRows[] = [rejected, ...(dedupe ? [dedupe] : []), ...(extras.sides ?? [])];
  const tokens = { input: 0, output: 0 };
  const jobs: JobSummary[] = [];
  let recovered = 0;
  // The record's position in the run (shard order, then sidecar order): what duplicate rows refer to.
  let ordinal = 0;
  for (const shard of inJoinOrder(shards)) {
    const index = await loadShard(shard, mode, writer, sources, store, warnings);
    const tally = { ok: 0, error: 0, missing: 0 };
    for await (const line of sources.sidecarLines(shard.shard)) {
      const row = parseSidecarBytes(line);
      const at = ordinal++;
      if (row === undefined) {
        warnings.add('UNREADABLE_SIDECAR_LINE', 'row sidecar lines that could not be read', shard.shard);
        continue;
      }
      await emitSideRowsBefore(sides, row.row);
      rejected.passed(row.row);
      const found = index?.records.get(row.recordId);
      if (found === undefined) {
        tally.missing++;
        const outcome = missingOutcome(shard);
        if (dedupe?.shared(at)) {
          const encoded = Buffer.from(encodeRendered(writer.renderer.render(outcome)), 'utf8');
          await writer.writeRendered(row, dedupe.keep(at, row.row, encoded));
        } else await writer.write(row, outcome);
      } else {
        index!.records.delete(row.recordId);
        const bytes = await store.get(found.ref);
        const rendered = dedupe?.shared(at) ? dedupe.keep(at, row.row, bytes) : decodeRendered(bytes);
        tally[rendered.status as 'ok' | 'error']++;
        if (rendered.status === 'ok' && sources.replaced?.(shard.shard, row.recordId)) recovered++;
        await writer.writeRendered(row, rendered);
      }
    }
    const used = index ? jobTokens(index.stats, index.manifest) : { input: 0, output: 0 };
    tokens.input += used.input;
    tokens.output += used.output;
    jobs.push({
      shard: shard.shard,
      jobArn: shard.job?.jobArn ?? null,
      status: shard.job?.status ?? null,
      records: shard.records,
      ...tally,
      tokens: used,
    });
    await store.clear();
  }
  await emitSideRowsBefore(sides, Number.POSITIVE_INFINITY);
  return { tokens, jobs, recovered };
}

async function loadShard(
  shard: ShardJob,
  mode: OutputMode,
  writer: ResultWriter,
  sources: JoinSources,
  store: SpillStore,
  warnings: WarningLog,
): Promise<(ShardIndex & { manifest: ReturnType<typeof parseManifest> }) | undefined> {
  if (shard.job === undefined) {
    if (shard.failure === undefined) {
      warnings.add(
        'NO_JOB_FOR_SHARD',
        'no batch job result for this shard: its rows are missing',
        shard.shard,
      );
    }
    return undefined;
  }
  const positions = new Map<string, number>();
  for await (const line of sources.sidecarLines(shard.shard)) {
    const id = sidecarBytesRecordId(line);
    if (id !== undefined && !positions.has(id)) positions.set(id, positions.size);
  }
  const index = await indexShardOutputs(
    sources.outputLines(shard.shard),
    positions,
    mode,
    writer.renderer,
    store,
    warnings,
    shard.shard,
  );
  const manifest = parseManifest(await sources.manifest(shard.shard));
  if (manifest === undefined) {
    warnings.add(
      'MANIFEST_MISSING',
      'manifest.json.out is missing or unreadable: counts come from the lines',
      shard.shard,
    );
  } else {
    const disagreements = manifestDisagreements(manifest, index.stats);
    if (disagreements.length > 0) {
      warnings.add(
        'MANIFEST_MISMATCH',
        `manifest disagrees with the lines: ${disagreements.join(', ')}`,
        shard.shard,
      );
    }
  }
  return { ...index, manifest };
}

function missingOutcome(shard: ShardJob): RowOutcome {
  if (shard.failure !== undefined) {
    return {
      status: 'missing',
      output: '',
      errorCode: shard.failure.code,
      errorMessage: shard.failure.message,
    };
  }
  const why = shard.job
    ? `the job ended ${shard.job.status} without an output for this record`
    : 'no batch job ran for this shard';
  return {
    status: 'missing',
    output: '',
    errorCode: RowErrorCode.NotProcessed,
    errorMessage: why,
  };
}

/** Streams rejected rows into the output at their row number. */
class RejectedMerge implements SideRows {
  private readonly rows: ParsedLines<RejectedRow>;
  private lastRow = 0;

  constructor(
    lines: AsyncIterator<string>,
    private readonly writer: ResultWriter,
    private readonly warnings: WarningLog,
  ) {
    this.rows = new ParsedLines(
      () => lines,
      (line) => {
        const row = parseRejectedLine(line);
        if (row === undefined) {
          warnings.add('UNREADABLE_REJECTED_LINE', 'rejected-rows lines that could not be read');
        }
        return row;
      },
    );
  }

  /** Notes that the join has written row `row` (a rejected row listed below it is out of order). */
  passed(row: number): void {
    this.lastRow = Math.max(this.lastRow, row);
  }

  async peekRow(): Promise<number | undefined> {
    return (await this.rows.peek())?.row;
  }

  async emitNext(): Promise<void> {
    await this.rows.peek();
    const r = this.rows.take();
    if (r !== undefined) await this.take(r);
  }

  private async take(r: RejectedRow): Promise<void> {
    if (r.row < this.lastRow) {
      this.warnings.add(
        'REJECTED_OUT_OF_ORDER',
        'rejected rows listed out of row order (written where read)',
      );
    }
    this.lastRow = Math.max(this.lastRow, r.row);
    const input = { row: r.row, recordId: r.recordId ?? '', cells: r.cells };
    await this.writer.write(input, {
      status: 'rejected',
      output: '',
      errorCode: r.code,
      errorMessage:
        r.message || (r.line === undefined ? 'rejected by Prepare' : `rejected by Prepare (line ${r.line})`),
    });
  }
}
