import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The top-level folders that hold the product's sources, tests and inputs. */
const SOURCE_FOLDERS = [
  'bin',
  'lib',
  'lambda',
  'local',
  'cli',
  'scripts',
  'bench',
  'test',
  'pipelines',
  'examples',
];

/** Where a line's description starts in the Layout block. */
const DESCRIPTION_COLUMN = 27;

interface LayoutEntry {
  /** The path as the first column gives it, relative to the repository. */
  readonly path: string;
  /** File names the description mentions (`name.ts`), resolved below `folder`. */
  readonly files: readonly string[];
  /** The folder the entry's description speaks of. */
  readonly folder: string;
}

/** The entries of docs/design.md's Layout block: root lines, indented lines below the last root folder. */
function layoutEntries(markdown: string): LayoutEntry[] {
  const start = markdown.indexOf('## Layout');
  const block = markdown.slice(start).split('```')[1] ?? '';
  const entries: { path: string; files: string[]; folder: string }[] = [];
  let section = '';
  for (const line of block.split('\n')) {
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const files = [...line.slice(DESCRIPTION_COLUMN).matchAll(/[\w./-]+\.(?:ts|mjs|md)\b/g)].map((m) => m[0]);
    if (indent > 2) {
      entries.at(-1)?.files.push(...files);
      continue;
    }
    const names = line.slice(0, DESCRIPTION_COLUMN).trim().split(/,\s*/);
    const path = indent === 0 ? (names[0] as string) : `${section}${names[0]}`;
    if (indent === 0) {
      const cut = path.includes('<')
        ? path.indexOf('<')
        : path.endsWith('/')
          ? path.length
          : path.lastIndexOf('/') + 1;
      section = path.slice(0, cut);
    }
    entries.push({ path, files, folder: section });
    const base = path.endsWith('/') ? path.slice(0, path.slice(0, -1).lastIndexOf('/') + 1) : section;
    for (const other of names.slice(1))
      entries.push({ path: `${base}${other}`, files: [], folder: `${base}${other}` });
  }
  return entries;
}

/** Every file below `dir` whose relative path ends with `name`. */
function existsBelow(dir: string, name: string): boolean {
  if (existsSync(join(ROOT, name)) || existsSync(join(ROOT, dir, name))) return true;
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).some(
    (path) => path === name || path.endsWith(`/${name}`),
  );
}

const entries = layoutEntries(readFileSync(join(ROOT, 'docs/design.md'), 'utf8'));

describe("docs/design.md's Layout section", () => {
  it('reads root entries, indented entries below their folder, and file names in descriptions', () => {
    const text =
      '## Layout\n\n```\nlib/                       constructs\n  pipeline.ts              the construct; stack.ts\n                           more: nag.ts\ntest/helpers/, fixtures/   helpers\n```\n';
    expect(layoutEntries(text)).toEqual([
      { path: 'lib/', files: [], folder: 'lib/' },
      { path: 'lib/pipeline.ts', files: ['stack.ts', 'nag.ts'], folder: 'lib/' },
      { path: 'test/helpers/', files: [], folder: 'test/helpers/' },
      { path: 'test/fixtures/', files: [], folder: 'test/fixtures/' },
    ]);
  });

  it('names only paths and files that exist', () => {
    expect(entries.length).toBeGreaterThan(30);
    const missing = entries.flatMap(({ path, files, folder }) => [
      ...(existsSync(join(ROOT, path.includes('<') ? path.slice(0, path.indexOf('<')) : path))
        ? []
        : [`${path} does not exist`]),
      ...files
        .filter((file) => !existsBelow(folder, file))
        .map((file) => `${file} (in ${path}) does not exist`),
    ]);
    expect(missing).toEqual([]);
  });

  it('names every top-level source folder and every folder of lambda/core, lambda/ and test/', () => {
    const named = new Set(entries.map(({ path }) => path));
    const folders = (dir: string) =>
      readdirSync(join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${dir}/${entry.name}/`);
    const tops = SOURCE_FOLDERS.filter((folder) => ![...named].some((path) => path.startsWith(`${folder}/`)));
    const unnamed = [
      ...folders('lambda/core'),
      ...folders('test'),
      'lambda/io/',
      'local/bedrock/',
      'local/runner/',
    ].filter((folder) => ![...named].some((path) => path.startsWith(folder)));
    expect([...tops, ...unnamed]).toEqual([]);
  });
});
