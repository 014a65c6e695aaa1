import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The source folders whose files the size rule covers. */
const SOURCE_FOLDERS = ['bin', 'lib', 'lambda', 'local', 'cli', 'scripts', 'bench'];
const MAX_FILE_LINES = 300;
const MAX_HANDLER_CODE_LINES = 40;
const MAX_CONSTRUCTOR_LINES = 80;

/** The CSV parser's single state machine may exceed the limit (issue 15). */
const EXEMPT = new Set(['lambda/core/csv/parser.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function lineCount(file: string): number {
  return readFileSync(join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length;
}

/** Lines of code: neither blank nor inside a comment. */
function codeLines(text: string): number {
  let count = 0;
  let inBlock = false;
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) continue;
      inBlock = false;
      line = line.slice(end + 2).trim();
    }
    if (line.startsWith('/*')) {
      const end = line.indexOf('*/', 2);
      if (end < 0) {
        inBlock = true;
        continue;
      }
      line = line.slice(end + 2).trim();
    }
    if (line === '' || line.startsWith('//')) continue;
    count++;
  }
  return count;
}

/** The length in lines of each constructor in `text`, from its signature to its closing brace. */
function constructorLengths(text: string): number[] {
  const lines = text.split('\n');
  const lengths: number[] = [];
  lines.forEach((line, start) => {
    if (!/^\s+constructor\(/.test(line)) return;
    let depth = 0;
    for (let end = start; end < lines.length; end++) {
      const current = lines[end] as string;
      depth += (current.match(/{/g) ?? []).length - (current.match(/}/g) ?? []).length;
      if (depth === 0 && current.includes('}')) {
        lengths.push(end - start + 1);
        return;
      }
    }
  });
  return lengths;
}

const sources = SOURCE_FOLDERS.flatMap(tsFiles).sort();
const over = sources
  .filter((file) => !EXEMPT.has(file))
  .map((file) => ({ file, lines: lineCount(file) }))
  .filter(({ lines }) => lines > MAX_FILE_LINES);

describe('the repository shape (issue 15)', () => {
  it('counts lines of code without blanks and comments', () => {
    expect(codeLines('/**\n * doc\n */\nconst a = 1; // x\n\n// y\n/* z */ const b = 2;\nlet c;\n')).toBe(3);
  });

  it(`every handler (lambda/<name>/index.ts) has at most ${MAX_HANDLER_CODE_LINES} lines of code`, () => {
    const handlers = readdirSync(join(ROOT, 'lambda'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !['core', 'io'].includes(entry.name))
      .map((entry) => `lambda/${entry.name}/index.ts`);
    expect(handlers.length).toBeGreaterThanOrEqual(10);
    const tooLong = handlers
      .map((file) => ({ file, code: codeLines(readFileSync(join(ROOT, file), 'utf8')) }))
      .filter(({ code }) => code > MAX_HANDLER_CODE_LINES)
      .map(({ file, code }) => `${file}: ${code} lines of code`);
    expect(tooLong).toEqual([]);
  });

  it(`every .ts source file under ${SOURCE_FOLDERS.join(', ')} has at most ${MAX_FILE_LINES} lines`, () => {
    expect(sources.length).toBeGreaterThan(200);
    expect(over.map(({ file, lines }) => `${file}: ${lines} lines`)).toEqual([]);
  });

  it(`every constructor in lib/ has at most ${MAX_CONSTRUCTOR_LINES} lines`, () => {
    const constructors = sources
      .filter((file) => file.startsWith('lib/'))
      .flatMap((file) =>
        constructorLengths(readFileSync(join(ROOT, file), 'utf8')).map((lines) => ({ file, lines })),
      );
    expect(constructors.length).toBeGreaterThanOrEqual(10);
    const tooLong = constructors.filter(({ lines }) => lines > MAX_CONSTRUCTOR_LINES);
    expect(tooLong.map(({ file, lines }) => `${file}: a constructor of ${lines} lines`)).toEqual([]);
  });
});
