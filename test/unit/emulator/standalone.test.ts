import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_STATUSES as PRODUCT_STATUSES } from '../../../lambda/core/contract/job-types';
import { JOB_STATUSES, TERMINAL_STATUSES } from '../../../local/bedrock/patterns';

const ROOT = resolve(__dirname, '../../..');
const EMULATOR = join(ROOT, 'local/bedrock');

/** Every module specifier of a TypeScript file: static imports and re-exports, dynamic imports, require. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function tsFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (path) => existsSync(path) && statSync(path).isFile(),
  );
}

/** Files under lambda/ or lib/ that `entry` reaches through relative imports, with the importing file. */
function productImports(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  const hits: string[] = [];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const where = relative(ROOT, target);
      if (where.startsWith('lambda/') || where.startsWith('lib/') || where === 'lambda' || where === 'lib') {
        hits.push(`${relative(ROOT, file)} imports ${specifier}`);
        continue;
      }
      const path = resolveLocal(file, specifier);
      if (path !== undefined) queue.push(path);
    }
  }
  return hits;
}

describe('the emulator stands on its own', () => {
  it('finds every kind of import specifier (the scan itself)', () => {
    const source = [
      "import { a } from '../../lambda/x';",
      "import type { B } from '../lib/y';",
      "export { c } from './z';",
      "export * from './w';",
      "import './side-effect';",
      "const m = await import('../lambda/dyn');",
      "import {\n  d,\n  e,\n} from '../multi';",
    ].join('\n');
    expect(specifiers(source)).toEqual([
      '../../lambda/x',
      '../lib/y',
      './z',
      './w',
      './side-effect',
      '../multi',
      '../lambda/dyn',
    ]);
    // This test file imports the product's status list, so the scan must report it.
    expect(productImports([join(ROOT, 'test/unit/emulator/standalone.test.ts')])).toContain(
      'test/unit/emulator/standalone.test.ts imports ../../../lambda/core/contract/job-types',
    );
  });

  it('no file under local/bedrock imports from lambda/ or lib/, directly or through another local file', () => {
    const files = tsFiles(EMULATOR);
    expect(files.length).toBeGreaterThan(20);
    expect(productImports(files)).toEqual([]);
  });

  it("has its own status list, which agrees with the product's, in the service model's order", () => {
    expect([...JOB_STATUSES]).toEqual([...PRODUCT_STATUSES]);
    expect([...TERMINAL_STATUSES].sort()).toEqual(
      ['Completed', 'Expired', 'Failed', 'PartiallyCompleted', 'Stopped'].sort(),
    );
  });
});
