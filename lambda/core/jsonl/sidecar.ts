/**
 * The formats Prepare writes for Collect, read in one place: the row sidecar
 * (`runs/<runId>/rows/shard-NNNN.jsonl`), the rejected rows (`runs/<runId>/rows/rejected.jsonl`) and
 * the header in `plan.json`. A malformed line returns `undefined` (the caller reports it).
 */

/** One record's original row. */
export interface SidecarRow {
  readonly recordId: string;
  /** 1-based data-row number (blank lines excluded). */
  readonly row: number;
  readonly cells: readonly string[];
}

/** One row Prepare rejected, with its reason. */
export interface RejectedRow {
  readonly row: number;
  /** Physical line in the CSV where the row starts. */
  readonly line?: number;
  readonly code: string;
  readonly message: string;
  readonly cells: readonly string[];
  readonly recordId?: string;
}

/** Parses one row-sidecar line. */
export function parseSidecarLine(line: string): SidecarRow | undefined {
  const value = parse(line);
  if (typeof value?.recordId !== 'string' || !isRowNumber(value.row) || !isCells(value.cells))
    return undefined;
  return { recordId: value.recordId, row: value.row, cells: value.cells };
}

const ID_FIRST = '{"recordId":"';

/**
 * The recordId of a row-sidecar line, cheaply: Prepare writes `recordId` first and ids are plain
 * (`[A-Za-z0-9_-]`), so the id is read without parsing the cells; any other line is parsed in full.
 */
export function sidecarRecordId(line: string): string | undefined {
  if (line.startsWith(ID_FIRST)) {
    const end = line.indexOf('"', ID_FIRST.length);
    const id = line.slice(ID_FIRST.length, end);
    if (end > 0 && !id.includes('\\')) return id;
  }
  return parseSidecarLine(line)?.recordId;
}

/** Parses one rejected-rows line. */
export function parseRejectedLine(line: string): RejectedRow | undefined {
  const value = parse(line);
  if (!value || !isRowNumber(value.row) || typeof value.code !== 'string') return undefined;
  return {
    row: value.row,
    line: typeof value.line === 'number' ? value.line : undefined,
    code: value.code,
    message: typeof value.message === 'string' ? value.message : '',
    cells: isCells(value.cells) ? value.cells : [],
    recordId: typeof value.recordId === 'string' ? value.recordId : undefined,
  };
}

/** The CSV header recorded in `plan.json`, or `undefined` when the plan has none. */
export function planHeader(plan: unknown): string[] | undefined {
  const header = (plan as { header?: unknown } | undefined)?.header;
  return isCells(header) ? [...header] : undefined;
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isRowNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isCells(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((cell) => typeof cell === 'string');
}
