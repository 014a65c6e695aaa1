import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_NAMES } from '../../lib/handler-names';
import { type LocalAssembly, loadAssembly } from '../../local/runner/assembly';
import { type AslDefinition, allStates } from '../../local/runner/tasks';
import { E2E_MIN_RECORDS, E2E_PIPELINES, questionsCsv, soloE2ePipelines } from '../helpers/local-stack';

const root = join(import.meta.dirname, '..', '..');

/** Every error name the definition matches or raises, other than Step Functions' and Lambda's own. */
function productErrorNames(definition: AslDefinition): string[] {
  const names = new Set<string>();
  for (const [, state] of allStates(definition)) {
    const raw = state as { Retry?: { ErrorEquals: string[] }[]; Catch?: { ErrorEquals: string[] }[] };
    for (const rule of [...(raw.Retry ?? []), ...(raw.Catch ?? [])])
      for (const name of rule.ErrorEquals) names.add(name);
    const raised = state.Parameters?.Error;
    if (typeof raised === 'string') names.add(raised);
  }
  return [...names].filter((name) => !name.startsWith('States.') && !name.startsWith('Lambda.'));
}

function bundleText(assembly: LocalAssembly, handler: (typeof HANDLER_NAMES)[number]): string {
  return readFileSync(join(assembly.functions[handler].codeDir, 'index.mjs'), 'utf8');
}

describe('the functions run from the bundles cdk deploy uploads', () => {
  let assembly: LocalAssembly;
  let dir: string;

  beforeAll(async () => {
    assembly = await loadAssembly(E2E_PIPELINES);
    dir = await mkdtemp(join(tmpdir(), 'bundled-assembly-'));
    await writeFile(join(dir, 'questions.csv'), questionsCsv(8));
    await writeFile(join(dir, 'faults.json'), JSON.stringify({ minRecordsPerJob: E2E_MIN_RECORDS }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs every function from the asset folder the template names, holding the bundle npm ci built', () => {
    for (const name of HANDLER_NAMES) {
      const fn = assembly.functions[name];
      expect(basename(fn.codeDir)).toMatch(/^asset\.[0-9a-f]{64}$/);
      expect(fn.handler).toBe('index.handler');
      expect(bundleText(assembly, name)).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(bundleText(assembly, name)).toBe(
        readFileSync(join(root, 'dist', 'functions', name, 'index.mjs'), 'utf8'),
      );
    }
    expect(readdirSync(join(assembly.functions['prepare-input'].codeDir, 'pipelines'))).toContain(
      'shards.json',
    );
  });

  it('keeps in the bundles every error name the state machine matches (Retry, Catch, Record failure)', () => {
    const names = productErrorNames(assembly.definition as unknown as AslDefinition);
    expect(names).toEqual(expect.arrayContaining(['JobCapacityError', 'BelowMinRecordsError']));
    const quoted = (name: string) => new RegExp(`["'\`]${name}["'\`]`);
    expect(bundleText(assembly, 'submit-job')).toMatch(quoted('JobCapacityError'));
    const recordFailure = bundleText(assembly, 'record-failure');
    for (const name of names) expect(recordFailure).toMatch(quoted(name));
  });

  it('ends a local run with exit 1 and one sentence naming a function whose asset fails to load', async () => {
    // The CLI stages the one pipeline alone: break the assembly it will look up for that.
    const solo = await loadAssembly(soloE2ePipelines('shards'));
    const cache = await mkdtemp(join(tmpdir(), 'broken-assembly-'));
    try {
      const copy = join(cache, basename(solo.dir));
      await cp(solo.dir, copy, { recursive: true });
      await rm(join(copy, basename(solo.functions['submit-job'].codeDir), 'index.mjs'));
      const result = spawnSync(
        process.execPath,
        [
          'bin/bedrock-batch.mjs',
          'local',
          join(dir, 'questions.csv'),
          '--pipeline',
          join(E2E_PIPELINES, 'shards.json'),
          '--out',
          join(dir, 'out'),
          '--faults',
          join(dir, 'faults.json'),
        ],
        { cwd: root, encoding: 'utf8', env: { ...process.env, BEDROCK_BATCH_CACHE_DIR: cache } },
      );
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^bedrock-batch local: The submit-job function \(\S+, asset \S+\) could not be loaded: Runtime\.ImportModuleError: Cannot find module 'index'/,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
