/**
 * The workbook's zip package, read with yauzl: the central directory (at the end of the file) lists the
 * parts, each part is inflated as a stream on demand. OOXML part names are case-insensitive.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { InvalidWorkbookError } from '../../contract/errors';

/** An open package. */
export interface Package {
  /** Whether the package has the part `name` (case-insensitive, without a leading `/`). */
  has(name: string): boolean;
  /** The inflated bytes of a part, as a stream. */
  stream(name: string): Promise<Readable>;
  /** A small part as text (UTF-8). */
  text(name: string): Promise<string>;
  close(): void;
}

function damaged(error: unknown): InvalidWorkbookError {
  const detail = error instanceof Error ? error.message : String(error);
  return new InvalidWorkbookError(`The workbook is not a readable .xlsx file (damaged zip: ${detail}).`, {
    cause: error,
  });
}

/**
 * Opens the zip at `path` and reads its directory. Throws `InvalidWorkbookError` for a damaged zip.
 *
 * @example const pkg = await openPackage('book.xlsx'); const xml = await pkg.text('xl/workbook.xml');
 */
export async function openPackage(path: string): Promise<Package> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) =>
      error ? reject(damaged(error)) : resolve(file),
    );
  });
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName.toLowerCase(), entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (error) => reject(damaged(error)));
    zip.readEntry();
  });
  const entry = (name: string) => {
    const found = entries.get(name.replace(/^\//, '').toLowerCase());
    if (found === undefined) {
      throw new InvalidWorkbookError(
        `The workbook is not a readable .xlsx file: the part ${name} is missing.`,
      );
    }
    return found;
  };
  const stream = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry(name), (error, readable) =>
        error ? reject(damaged(error)) : resolve(readable),
      );
    });
  return {
    has: (name) => entries.has(name.replace(/^\//, '').toLowerCase()),
    stream,
    async text(name) {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of await stream(name)) chunks.push(chunk as Buffer);
      } catch (error) {
        throw error instanceof InvalidWorkbookError ? error : damaged(error);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    close: () => zip.close(),
  };
}
