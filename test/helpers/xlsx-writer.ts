/**
 * Writes small `.xlsx` workbooks for tests (and, streamed, the bench's large one): shared strings,
 * number formats, booleans, errors, formulas with cached values, inline and rich text, hidden rows,
 * merged ranges and the 1904 date system, each as Excel stores it. Not part of the product.
 */
import { ZipWriter } from './zip-writer';

/** One cell as a test describes it. */
export type CellSpec =
  | string
  | number
  | boolean
  | null
  | { readonly number: number; readonly format: string }
  | { readonly formula: string; readonly cached: string | number; readonly type?: 'str' | 'n' }
  | { readonly error: string }
  | { readonly inline: string }
  | { readonly rich: readonly string[]; readonly phonetic?: string }
  | { readonly date: string };

/** A sheet: rows of cells (a row may be `{ hidden, cells }` or start at `r`). */
export interface SheetSpec {
  readonly name: string;
  readonly rows: ReadonlyArray<
    | readonly CellSpec[]
    | { readonly r?: number; readonly hidden?: boolean; readonly cells: readonly CellSpec[] }
  >;
  readonly state?: 'hidden' | 'veryHidden';
  /** Extra XML after sheetData (for example `<mergeCells>`). */
  readonly after?: string;
  /** `chartsheet` or `macrosheet` instead of a worksheet. */
  readonly kind?: 'worksheet' | 'chartsheet' | 'macrosheet';
}

/** Options of {@link writeXlsx}. */
export interface WorkbookSpec {
  readonly sheets: readonly SheetSpec[];
  readonly date1904?: boolean;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Column letters of a 0-based index. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const CONTENT_TYPES = (sheets: readonly unknown[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const REL_TYPES = {
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  chartsheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet',
  macrosheet: 'http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet',
};

/** Collects shared strings and number formats while sheets are written. */
export class WorkbookParts {
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly formats: string[] = [];

  shared(xml: string): number {
    let index = this.stringIndex.get(xml);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(xml);
      this.stringIndex.set(xml, index);
    }
    return index;
  }

  /** The style index of a format code (style 0 is General). */
  style(format: string): number {
    let index = this.formats.indexOf(format);
    if (index < 0) index = this.formats.push(format) - 1;
    return index + 1;
  }

  cell(ref: string, spec: CellSpec): string {
    if (spec === null) return '';
    if (typeof spec === 'string')
      return `<c r="${ref}" t="s"><v>${this.shared(`<t xml:space="preserve">${escapeXml(spec)}</t>`)}</v></c>`;
    if (typeof spec === 'number') return `<c r="${ref}"><v>${spec}</v></c>`;
    if (typeof spec === 'boolean') return `<c r="${ref}" t="b"><v>${spec ? 1 : 0}</v></c>`;
    if ('number' in spec) return `<c r="${ref}" s="${this.style(spec.format)}"><v>${spec.number}</v></c>`;
    if ('formula' in spec)
      return `<c r="${ref}"${spec.type === 'str' ? ' t="str"' : ''}><f>${escapeXml(spec.formula)}</f><v>${escapeXml(String(spec.cached))}</v></c>`;
    if ('error' in spec) return `<c r="${ref}" t="e"><v>${escapeXml(spec.error)}</v></c>`;
    if ('inline' in spec) return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(spec.inline)}</t></is></c>`;
    if ('date' in spec) return `<c r="${ref}" t="d"><v>${spec.date}</v></c>`;
    const runs = spec.rich
      .map((t, i) => `<r>${i > 0 ? '<rPr><b/></rPr>' : ''}<t xml:space="preserve">${escapeXml(t)}</t></r>`)
      .join('');
    const phonetic =
      spec.phonetic === undefined ? '' : `<rPh sb="0" eb="1"><t>${escapeXml(spec.phonetic)}</t></rPh>`;
    return `<c r="${ref}" t="s"><v>${this.shared(`${runs}${phonetic}`)}</v></c>`;
  }

  row(r: number, cells: readonly CellSpec[], hidden = false): string {
    return `<row r="${r}"${hidden ? ' hidden="1"' : ''}>${cells.map((c, i) => this.cell(`${columnName(i)}${r}`, c)).join('')}</row>`;
  }

  sharedStringsXml(): string {
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.strings.length}" uniqueCount="${this.strings.length}">${this.strings.map((s) => `<si>${s}</si>`).join('')}</sst>`;
  }

  stylesXml(): string {
    const fmts = this.formats
      .map((code, i) => `<numFmt numFmtId="${164 + i}" formatCode="${escapeXml(code)}"/>`)
      .join('');
    const xfs = this.formats
      .map(
        (_, i) =>
          `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,
      )
      .join('');
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="${this.formats.length}">${fmts}</numFmts><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${this.formats.length + 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>${xfs}</cellXfs></styleSheet>`;
  }
}

/** The sheet part's opening and closing XML. */
export const SHEET_OPEN =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>';

/**
 * Writes the workbook parts around sheets whose XML `sheetXml(i)` yields (streamed), into `path`.
 * Sheets come before the shared strings and styles in the zip, as Excel orders them.
 */
export async function writeWorkbookParts(
  path: string,
  spec: { sheets: readonly Pick<SheetSpec, 'name' | 'state' | 'kind'>[]; date1904?: boolean },
  parts: WorkbookParts,
  sheetXml: (index: number) => Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const zip = new ZipWriter(path);
  await zip.add('[Content_Types].xml', CONTENT_TYPES(spec.sheets));
  await zip.add('_rels/.rels', ROOT_RELS);
  const sheets = spec.sheets
    .map(
      (s, i) =>
        `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`,
    )
    .join('');
  await zip.add(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${spec.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${sheets}</sheets></workbook>`,
  );
  const n = spec.sheets.length;
  const rels = spec.sheets
    .map(
      (s, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL_TYPES[s.kind ?? 'worksheet']}" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join('');
  await zip.add(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId${n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  for (let i = 0; i < n; i++) await zip.add(`xl/worksheets/sheet${i + 1}.xml`, sheetXml(i));
  await zip.add('xl/styles.xml', parts.stylesXml());
  await zip.add('xl/sharedStrings.xml', parts.sharedStringsXml());
  await zip.close();
}

/**
 * Writes a small workbook described cell by cell.
 *
 * @example await writeXlsx('t.xlsx', { sheets: [{ name: 'Data', rows: [['id', 'q'], ['q1', 0.1]] }] });
 */
export async function writeXlsx(path: string, spec: WorkbookSpec): Promise<void> {
  const parts = new WorkbookParts();
  const xml = spec.sheets.map((sheet) => {
    let r = 0;
    const rows = sheet.rows
      .map((row) => {
        const { cells, hidden, at } = Array.isArray(row)
          ? { cells: row as readonly CellSpec[], hidden: false, at: undefined }
          : {
              cells: (row as { cells: readonly CellSpec[] }).cells,
              hidden: (row as { hidden?: boolean }).hidden ?? false,
              at: (row as { r?: number }).r,
            };
        r = at ?? r + 1;
        return parts.row(r, cells, hidden);
      })
      .join('');
    return `${SHEET_OPEN}${rows}</sheetData>${sheet.after ?? ''}</worksheet>`;
  });
  await writeWorkbookParts(path, spec, parts, (i) => [xml[i]!]);
}
