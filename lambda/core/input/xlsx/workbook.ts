/**
 * The workbook's structure: its sheets in tab order (with their kind and visibility), the date system,
 * and where the styles, shared strings and the chosen sheet are in the package.
 */
import { posix } from 'node:path';
import { InvalidWorkbookError, NoWorksheetError, SheetNotFoundError } from '../../contract/errors';
import { parseXml } from './xml';
import type { Package } from './zip';

/** A sheet as listed by the workbook. */
export interface SheetEntry {
  readonly name: string;
  /** `worksheet`, `chartsheet`, `macrosheet` or `dialogsheet`. */
  readonly kind: string;
  readonly hidden: boolean;
  /** The part path in the package, when the relationship resolves. */
  readonly part: string | undefined;
}

/** What the reader needs from the workbook part. */
export interface Workbook {
  readonly sheets: readonly SheetEntry[];
  /** Dates counted from 1904-01-01 (the Mac date system) instead of 1900. */
  readonly date1904: boolean;
  readonly stylesPart: string | undefined;
  readonly sharedStringsPart: string | undefined;
}

interface Relationship {
  readonly type: string;
  readonly target: string;
}

function relsPath(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

async function relationships(pkg: Package, part: string): Promise<Map<string, Relationship>> {
  const path = relsPath(part);
  const rels = new Map<string, Relationship>();
  if (!pkg.has(path)) return rels;
  const base = posix.dirname(part);
  parseXml(path, await pkg.text(path), {
    open(name, a) {
      if (name !== 'Relationship' || a.Id === undefined || a.Target === undefined) return;
      if (a.TargetMode === 'External') return;
      const target = a.Target.startsWith('/')
        ? a.Target.slice(1)
        : posix.normalize(posix.join(base, a.Target));
      rels.set(a.Id, { type: a.Type ?? '', target });
    },
  });
  return rels;
}

function kindOf(type: string): string {
  const last = type.slice(type.lastIndexOf('/') + 1).toLowerCase();
  if (last === 'worksheet') return 'worksheet';
  if (last === 'chartsheet') return 'chartsheet';
  if (last.includes('macrosheet')) return 'macrosheet';
  if (last === 'dialogsheet') return 'dialogsheet';
  return last;
}

function byType(rels: Map<string, Relationship>, suffix: string): string | undefined {
  for (const rel of rels.values()) if (rel.type.endsWith(suffix)) return rel.target;
  return undefined;
}

/**
 * Reads the workbook part of an open package. Throws `InvalidWorkbookError` when there is none.
 *
 * @example const book = await readWorkbook(pkg); chooseSheet(book, undefined).part // 'xl/worksheets/sheet1.xml'
 */
export async function readWorkbook(pkg: Package): Promise<Workbook> {
  const root = await relationships(pkg, '');
  const part = byType(root, '/officeDocument') ?? 'xl/workbook.xml';
  if (!pkg.has(part)) {
    throw new InvalidWorkbookError(
      'The file is a zip archive but not an Excel workbook (it has no workbook part); save it as "Excel Workbook (.xlsx)".',
    );
  }
  const rels = await relationships(pkg, part);
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  parseXml(part, await pkg.text(part), {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      else if (name === 'sheet') {
        const rel = a.id === undefined ? undefined : rels.get(a.id);
        sheets.push({
          name: a.name ?? '',
          kind: rel === undefined ? 'worksheet' : kindOf(rel.type),
          hidden: a.state === 'hidden' || a.state === 'veryHidden',
          part: rel?.target,
        });
      }
    },
  });
  return {
    sheets,
    date1904,
    stylesPart: byType(rels, '/styles'),
    sharedStringsPart: byType(rels, '/sharedStrings'),
  };
}

/**
 * The sheet to read: the one named `wanted` (compared without regard to letter case, as Excel does), or
 * the first visible worksheet in tab order (the first worksheet when all are hidden). Throws
 * `SheetNotFoundError` or `NoWorksheetError`.
 */
export function chooseSheet(book: Workbook, wanted: string | undefined): SheetEntry & { part: string } {
  const worksheets = book.sheets.filter((s) => s.kind === 'worksheet' && s.part !== undefined);
  let chosen: SheetEntry | undefined;
  if (wanted !== undefined) {
    chosen = book.sheets.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    if (chosen === undefined) {
      throw new SheetNotFoundError(
        `The workbook has no sheet named ${JSON.stringify(wanted)} (the pipeline's "sheet"). Its sheets: ${book.sheets.map((s) => JSON.stringify(s.name)).join(', ') || 'none'}.`,
      );
    }
    if (chosen.kind !== 'worksheet' || chosen.part === undefined) {
      throw new NoWorksheetError(
        `The sheet ${JSON.stringify(chosen.name)} is a ${chosen.kind}, not a worksheet with cells; name a worksheet in the pipeline's "sheet".`,
      );
    }
  } else {
    chosen = worksheets.find((s) => !s.hidden) ?? worksheets[0];
    if (chosen === undefined) {
      const kinds = [...new Set(book.sheets.map((s) => s.kind))];
      throw new NoWorksheetError(
        `The workbook has no worksheet to read${kinds.length > 0 ? ` (only ${kinds.join(' and ')} sheets)` : ''}; put the data on a worksheet and save it as .xlsx.`,
      );
    }
  }
  return chosen as SheetEntry & { part: string };
}
