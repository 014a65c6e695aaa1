/**
 * `.xlsx` in, rows out: the package's directory, the workbook, styles and shared strings, then the
 * chosen worksheet streamed row by row. Memory is bounded by one inflated chunk, one row and the
 * shared strings kept in memory (see shared-strings.ts), never by the sheet's size.
 */
import { EncryptedWorkbookError, InvalidWorkbookError, LegacyWorkbookError } from '../../contract/errors';
import { fileSignature, isEncryptedPackage } from '../sniff';
import type { SourceRow } from '../source';
import { readSharedStrings } from './shared-strings';
import { readSheet } from './sheet';
import { readStyles } from './styles';
import { chooseSheet, readWorkbook } from './workbook';
import { openPackage } from './zip';

/** Options of {@link readXlsx}. */
export interface XlsxOptions {
  /** The sheet to read (pipeline `sheet`); else the first visible worksheet. */
  readonly sheet?: string | undefined;
  readonly maxRowBytes: number;
  /** Shared-string characters kept in memory before they move to a temporary file (tests). */
  readonly memoryChars?: number;
}

async function checkSignature(path: string): Promise<void> {
  const signature = await fileSignature(path);
  if (signature === 'zip') return;
  if (signature === 'ole') {
    if (await isEncryptedPackage(path)) {
      throw new EncryptedWorkbookError(
        'The workbook is password-protected (encrypted), so its cells cannot be read; remove the password and upload it again.',
      );
    }
    throw new LegacyWorkbookError(
      'The file is a legacy Excel 97-2003 workbook (.xls format) named .xlsx, which is not read; save it as "Excel Workbook (.xlsx)" or "CSV UTF-8" and upload that.',
    );
  }
  throw new InvalidWorkbookError(
    `The file is named .xlsx but is not a workbook (${signature === 'parquet' ? 'it is a Parquet file' : 'it is not a zip package'}); upload the workbook itself or name the file for what it is.`,
  );
}

/**
 * Reads the workbook at `path`, yielding batches of rows; the first row is the header. Throws
 * `InvalidWorkbookError`, `EncryptedWorkbookError`, `LegacyWorkbookError`, `NoWorksheetError` or
 * `SheetNotFoundError`.
 *
 * @example for await (const rows of readXlsx('book.xlsx', { maxRowBytes: 1 << 20 })) console.log(rows.length);
 */
export async function* readXlsx(path: string, options: XlsxOptions): AsyncGenerator<SourceRow[]> {
  await checkSignature(path);
  const pkg = await openPackage(path);
  try {
    const book = await readWorkbook(pkg);
    const sheet = chooseSheet(book, options.sheet);
    const formats = await readStyles(pkg, book.stylesPart);
    const strings = await readSharedStrings(pkg, book.sharedStringsPart, options.memoryChars);
    try {
      const stream = await pkg.stream(sheet.part);
      yield* readSheet(sheet.part, stream, {
        strings,
        formats,
        date1904: book.date1904,
        maxRowBytes: options.maxRowBytes,
      });
    } finally {
      strings.close();
    }
  } finally {
    pkg.close();
  }
}
