/**
 * What report.html shows, as one plain object: the renderer ({@link renderReport}) takes nothing else.
 * Collect fills it for a run that got results (finished, or failed after its results were published),
 * Record failure for a run that failed before.
 */

import type { RowCounts } from '../contract/types';
import type { RetrySummary } from '../retry/retry-round';
import type { HistogramSnapshot } from './histogram';

/** One error code's rows: how many, and the first one as an example. */
export interface ErrorGroup {
  /** `error_code` of the rows (the status when a row has none). */
  readonly code: string;
  readonly count: number;
  /** Statuses of the rows with this code (`error`, `rejected`, `missing`). */
  readonly statuses: readonly string[];
  readonly sample: ErrorSample;
}

/** The first row with a code: its row number, status, message and leading cells, already truncated. */
export interface ErrorSample {
  readonly row: number;
  readonly recordId: string;
  readonly status: string;
  readonly message: string;
  readonly cells: readonly { readonly column: string; readonly value: string }[];
}

/** One batch job (or on-demand invocation) on the timeline. */
export interface ReportJob {
  /** 1 for the first round, 2 for the second chance. */
  readonly round: number;
  /** The shard (first round) or the retry job or part (second round). */
  readonly number: number;
  readonly jobArn: string | null;
  readonly status: string | null;
  /** Rows of the shard and how they ended (first round; absent in the second). */
  readonly rows?: {
    readonly records: number;
    readonly ok: number;
    readonly error: number;
    readonly missing: number;
  };
  /** ISO 8601 times from Bedrock: submitted, first seen running, ended (absent when not known). */
  readonly submitted?: string;
  readonly started?: string;
  readonly ended?: string;
  /** The failure code when the job could not be created or did not finish. */
  readonly failureCode?: string;
}

/** Cost at the batch price against the on-demand price (USD; `null` for an unpriced model). */
export interface ReportCost {
  /** Which of the two was billed. */
  readonly billed: 'batch' | 'on-demand';
  readonly batchUsd: number | null;
  readonly onDemandUsd: number | null;
  readonly pricesAsOf: string | null;
}

/** The report of one run. */
export interface ReportData {
  readonly runId: string;
  readonly pipeline: string;
  readonly modelId?: string;
  readonly mode?: 'batch' | 'on-demand';
  readonly status: 'succeeded' | 'failed';
  /** ISO 8601: when the results were collected, or the failure recorded. */
  readonly at?: string;
  readonly failure?: { readonly code: string; readonly message: string; readonly whatToDo: string };
  /** The row outcomes (absent when the run failed before Collect). */
  readonly counts?: RowCounts;
  /** What Prepare counted, for a run that failed before Collect. */
  readonly prepared?: { readonly rows: number; readonly records: number; readonly rejected: number };
  /** Error codes by count, most rows first. */
  readonly errors: readonly ErrorGroup[];
  /** Rows whose codes were past the number of codes tracked (see {@link MAX_ERROR_CODES}). */
  readonly otherErrors?: number;
  readonly tokens?: {
    readonly input: number;
    readonly output: number;
    readonly perRow: { readonly input: HistogramSnapshot; readonly output: HistogramSnapshot };
  };
  readonly cost?: ReportCost;
  readonly jobs: readonly ReportJob[];
  readonly retry?: RetrySummary;
  /** Collect's warnings, by code. */
  readonly warnings?: readonly { readonly code: string; readonly count: number; readonly message: string }[];
  /**
   * Optional figures other features add to summary.json (`dedupe`, `rerun`, `deadline`): each is shown
   * as its own section only when summary.json has it.
   */
  readonly extras?: Readonly<Partial<Record<ExtraSection, unknown>>>;
}

/** The summary.json keys of the optional sections, in page order. */
export const EXTRA_SECTIONS = ['dedupe', 'rerun', 'deadline'] as const;

/** One optional section's summary.json key. */
export type ExtraSection = (typeof EXTRA_SECTIONS)[number];

/** Distinct error codes tracked with a sample row; rows of further codes are only counted. */
export const MAX_ERROR_CODES = 50;
