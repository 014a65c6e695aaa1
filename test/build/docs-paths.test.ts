import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Top-level folders of the repository a backticked path may start with. */
const FOLDERS = /^(bin|lib|lambda|local|cli|test|scripts|bench|pipelines|examples|docs)\//;
/** The repository's own source and document files (other extensions name S3 keys or outside files). */
const SOURCE_FILE = /\/[^/]*\.(ts|mts|mjs|md)$/;

/**
 * The repository paths a Markdown text names in inline code: a token with no space or placeholder
 * (`<`, `*`, `{`, `$`) that starts with a repository folder or names a source file below one. A `#anchor`
 * or `:line` suffix is left out.
 */
function namedPaths(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const paths = new Set<string>();
  for (const match of prose.matchAll(/`([^`\s]+)`/g)) {
    const token = (match[1] as string).replace(/[#:].*$/, '');
    if (/[<>*{}$[\]]/.test(token) || token.includes('//')) continue;
    if (FOLDERS.test(token) || SOURCE_FILE.test(token)) paths.add(token);
  }
  return [...paths];
}

const documents = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('paths named in README.md and docs/*.md', () => {
  it('finds repository paths in inline code only', () => {
    const text =
      'See `lib/a.ts#L3`, `input/b.ts`, `runs/<runId>/plan.json`, `rows/x.jsonl`.\n```\n`lib/c.ts`\n```\n';
    expect(namedPaths(text)).toEqual(['lib/a.ts', 'input/b.ts']);
  });

  it('every backticked repository path exists', () => {
    expect(documents.length).toBeGreaterThan(5);
    const missing = documents.flatMap((doc) =>
      namedPaths(readFileSync(join(ROOT, doc), 'utf8'))
        .filter((path) => !existsSync(join(ROOT, path)))
        .map((path) => `${doc} names ${path}, which does not exist`),
    );
    expect(missing).toEqual([]);
  });
});
