import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main';
import { capture } from '../helpers/capture';
import { E2E_PIPELINES, questionsCsv } from '../helpers/local-stack';

afterEach(() => vi.restoreAllMocks());

describe('bedrock-batch local: --pipeline and --out', () => {
  let dir: string;
  let pipeline: string;
  let csv: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-local-files-'));
    // The pipeline sits beside files that are not pipelines (as at the repository root) and a broken one.
    pipeline = join(dir, 'mypipe.json');
    copyFileSync(join(E2E_PIPELINES, 'small.json'), pipeline);
    writeFileSync(join(dir, 'biome.json'), JSON.stringify({ formatter: { enabled: true } }));
    writeFileSync(join(dir, 'broken.json'), '{"modelId": ');
    csv = join(dir, 'questions.csv');
    writeFileSync(csv, questionsCsv(6));
  });

  it('loads only the --pipeline file, and a reused --out keeps no file of an earlier run', async () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'report.json'), '{"code":"NO_RECORDS"}');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const io = capture();
    expect(await main(['local', csv, '--pipeline', pipeline, '--out', out])).toBe(0);
    expect(io.out()).toMatch(/Run .* succeeded/);
    expect(io.out()).toContain(`files:   ${out}/{`);
    expect(io.out()).toContain(`report:  ${out}/report.html`);
    expect(io.out()).not.toContain('.bedrock-batch-staging');
    expect(readdirSync(out).sort()).toEqual([
      'errors.csv',
      'notes.txt',
      'report.html',
      'results.csv',
      'results.jsonl',
      'summary.json',
    ]);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toContain('q6');
    // A pipeline file of its own gets its own bundled assembly on first use (docs/local.md): a cold build.
  }, 180_000);

  it('refuses an --out that is a file before any work: exit 2, one sentence', async () => {
    const file = join(dir, 'taken');
    writeFileSync(file, 'x');
    const io = capture();
    expect(await main(['local', csv, '--pipeline', pipeline, '--out', file])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/--out .*taken is a file/);
    expect(io.out()).toBe('');
  });

  it('refuses a file name local mode cannot store: exit 2, one sentence, no stack', async () => {
    const long = join(dir, `${'n'.repeat(240)}.csv`);
    writeFileSync(long, questionsCsv(6));
    const io = capture();
    expect(await main(['local', long, '--pipeline', pipeline, '--out', join(dir, 'long')])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/the CSV file name is 244 bytes; local mode takes names of at most 200 bytes/);
    expect(io.out()).toBe('');
  });

  it('reports an invalid pipeline with its code and exit 1, before starting anything', async () => {
    const io = capture();
    const bad = join(dir, 'broken.json');
    expect(await main(['local', csv, '--pipeline', bad, '--out', join(dir, 'bad')])).toBe(1);
    expect(io.err()).toMatch(/^bedrock-batch local: INVALID_PIPELINE: Pipeline "broken": .* not valid JSON/);
    expect(io.out()).toBe('');
  });
});
