/**
 * The shared strings table (`xl/sharedStrings.xml`): every text cell refers to it by index. Kept in
 * memory up to {@link MEMORY_CHARS} characters; a larger table moves to a temporary file with an offset
 * per string (8 bytes), read back by position with a small cache, so memory stays bounded whatever the
 * workbook holds. Rich text is its runs' text joined; phonetic guides (`rPh`) are left out.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXmlStream, unescapeOoxml } from './xml';
import type { Package } from './zip';

/** Characters of shared strings held in memory before the table moves to a file. */
export const MEMORY_CHARS = 4 << 20;
const CACHE_SLOTS = 1 << 12;

/** Shared strings by index. */
export class SharedStrings {
  private strings: string[] = [];
  private chars = 0;
  private file: { dir: string; fd: number; size: number } | undefined;
  private offsets = new Float64Array(1024);
  private count = 0;
  private readonly cacheIndex = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly cacheText: string[] = new Array(CACHE_SLOTS);
  private buffer = Buffer.alloc(64 << 10);

  constructor(private readonly memoryChars: number = MEMORY_CHARS) {}

  /** Appends the next string. */
  add(text: string): void {
    if (this.file === undefined) {
      this.strings.push(text);
      this.chars += text.length;
      if (this.chars > this.memoryChars) this.spill();
      return;
    }
    this.append(text);
  }

  /** The number of strings. */
  get size(): number {
    return this.file === undefined ? this.strings.length : this.count;
  }

  /** The string at `index`, or `undefined` when there is none. */
  get(index: number): string | undefined {
    if (this.file === undefined) return this.strings[index];
    if (!(index >= 0 && index < this.count)) return undefined;
    const slot = index & (CACHE_SLOTS - 1);
    if (this.cacheIndex[slot] === index) return this.cacheText[slot];
    const start = this.offsets[index]!;
    const length = this.offsets[index + 1]! - start;
    if (length > this.buffer.length) this.buffer = Buffer.alloc(length);
    readSync(this.file.fd, this.buffer, 0, length, start);
    const text = this.buffer.toString('utf8', 0, length);
    this.cacheIndex[slot] = index;
    this.cacheText[slot] = text;
    return text;
  }

  /** Whether the table moved to a file (tests, bench). */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  /** Removes the temporary file, if any. */
  close(): void {
    if (this.file === undefined) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
  }

  private spill(): void {
    const dir = mkdtempSync(join(tmpdir(), 'bedrock-batch-strings-'));
    this.file = { dir, fd: openSync(join(dir, 'strings'), 'w+'), size: 0 };
    const held = this.strings;
    this.strings = [];
    this.chars = 0;
    for (const text of held) this.append(text);
  }

  private append(text: string): void {
    const file = this.file!;
    if (this.count + 2 > this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const bytes = Buffer.from(text, 'utf8');
    writeSync(file.fd, bytes, 0, bytes.length, file.size);
    this.offsets[this.count] = file.size;
    file.size += bytes.length;
    this.count++;
    this.offsets[this.count] = file.size;
  }
}

/**
 * Reads the shared strings part (if the workbook has one) into a table.
 *
 * @example const strings = await readSharedStrings(pkg, 'xl/sharedStrings.xml'); strings.get(0)
 */
export async function readSharedStrings(
  pkg: Package,
  part: string | undefined,
  memoryChars?: number,
): Promise<SharedStrings> {
  const table = new SharedStrings(memoryChars);
  if (part === undefined || !pkg.has(part)) return table;
  let text = '';
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  try {
    const handlers = {
      open(name: string) {
        if (name === 'si') {
          inItem = true;
          text = '';
        } else if (name === 'rPh') phonetic++;
        else if (name === 't' && inItem && phonetic === 0) inText = true;
      },
      text(chunk: string) {
        if (inText) text += chunk;
      },
      close(name: string) {
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si') {
          inItem = false;
          table.add(unescapeOoxml(text));
        }
      },
    };
    for await (const _ of parseXmlStream(part, await pkg.stream(part), handlers)) {
      // each chunk's strings are already in the table
    }
  } catch (error) {
    table.close();
    throw error;
  }
  return table;
}
