import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist');

/** What a compiled module loads before its first line runs: its static imports, transitively. */
function staticGraph(entry: string): { packages: Set<string>; sources: Set<string> } {
  const packages = new Set<string>();
  const sources = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dist, file), 'utf8');
    for (const match of text.matchAll(
      /^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gms,
    )) {
      const specifier = (match[1] ?? match[2]) as string;
      if (specifier.startsWith('./')) visit(specifier.slice(2));
      else
        packages.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
    const map = JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(source.replace(/^(\.\.\/)+/, ''));
  };
  visit(entry);
  return { packages, sources };
}

/** The chunk `cli.js` imports when the verb runs. */
function verbChunk(verb: string): string {
  const cli = readFileSync(join(dist, 'cli.js'), 'utf8');
  const chunk = new RegExp(`\\b${verb}: [^\\n]*?import\\("\\./([^"]+)"\\)`).exec(cli)?.[1];
  if (chunk === undefined) throw new Error(`dist/cli.js loads no chunk for ${verb}`);
  return chunk;
}

function verbGraph(verb: string) {
  const cli = staticGraph('cli.js');
  const own = staticGraph(verbChunk(verb));
  return {
    packages: new Set([...cli.packages, ...own.packages]),
    sources: new Set([...cli.sources, ...own.sources]),
  };
}

const CDK = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
const isEmulator = (source: string) => source.startsWith('local/bedrock/') || source === 'local/s3-server.ts';

describe('the compiled CLI loads a verb only when it runs, and no more than it needs', () => {
  it('starts (--help) on the overview alone: no package, no verb', () => {
    const { packages, sources } = staticGraph('cli.js');
    expect([...packages].filter((name) => !name.startsWith('node:'))).toEqual([]);
    expect([...sources].filter((source) => source.startsWith('cli/'))).toEqual(
      expect.arrayContaining(['cli/main.ts']),
    );
    for (const verb of ['prepare', 'local', 'emulate', 'submit', 'status', 'results']) {
      expect(sources).not.toContain(`cli/${verb}.ts`);
    }
  });

  it.each(['prepare', 'local', 'emulate', 'submit', 'status', 'results'])(
    'loads no AWS CDK for %s (the local runner imports it only to synthesize an assembly not cached)',
    (verb) => {
      const { packages, sources } = verbGraph(verb);
      expect(sources).toContain(`cli/${verb}.ts`);
      for (const name of CDK) expect(packages).not.toContain(name);
      expect(
        [...sources].filter((source) => source.startsWith('lib/') && source !== 'lib/package-root.ts'),
      ).toEqual([]);
    },
  );

  it.each(['prepare', 'submit', 'status', 'results'])('loads no emulator for %s', (verb) => {
    expect([...verbGraph(verb).sources].filter(isEmulator)).toEqual([]);
  });

  it.each(['local', 'emulate'])(
    'loads the emulator for %s only when it runs (not for --help or a usage error)',
    (verb) => {
      expect([...verbGraph(verb).sources].filter(isEmulator)).toEqual([]);
      const chunk = readFileSync(join(dist, verbChunk(verb)), 'utf8');
      const later = [...chunk.matchAll(/\bimport\("\.\/([^"]+)"\)/g)].map((match) => match[1] as string);
      expect(later.some((file) => [...staticGraph(file).sources].some(isEmulator))).toBe(true);
    },
  );
});
