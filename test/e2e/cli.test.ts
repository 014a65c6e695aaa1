import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { E2E_MIN_RECORDS, E2E_PIPELINES, questionsCsv } from '../helpers/local-stack';

const root = join(import.meta.dirname, '..', '..');
const pipeline = join(E2E_PIPELINES, 'shards.json');

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/bedrock-batch.mjs', 'local', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

describe('bedrock-batch local', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-local-'));
    await writeFile(join(dir, 'questions.csv'), questionsCsv(12));
    await writeFile(join(dir, 'header-only.csv'), 'id,question\n');
    await writeFile(join(dir, 'faults.json'), JSON.stringify({ minRecordsPerJob: E2E_MIN_RECORDS }));
    await writeFile(join(dir, 'bad-faults.json'), JSON.stringify({ finalStatus: 'Exploded' }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs a CSV, prints plain progress lines and a summary, writes the four files, exits 0', () => {
    const out = join(dir, 'ok');
    const result = cli(
      join(dir, 'questions.csv'),
      '--pipeline',
      pipeline,
      '--out',
      out,
      '--faults',
      join(dir, 'faults.json'),
    );

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\[\d+\.\ds\] Prepare input$/m);
    expect(result.stdout).toMatch(/shard 1: Completed/);
    expect(result.stdout).toMatch(/rows: +12 \(ok 12, error 0, rejected 0, missing 0\)/);
    expect(result.stdout).toMatch(/cost: .* batch vs .* on demand/);
    for (const file of ['results.csv', 'results.jsonl', 'errors.csv', 'summary.json', 'report.html']) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    expect(result.stdout).not.toContain('\x1b[');
  });

  it('exits 1 on a failed run, printing the code and reason and writing report.json', () => {
    const out = join(dir, 'failed');
    const result = cli(join(dir, 'header-only.csv'), '--pipeline', pipeline, '--out', out);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAILED/);
    expect(result.stdout).toMatch(/code: +NO_RECORDS/);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect(result.stdout).toContain(`report:  ${out}/report.html`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-code="NO_RECORDS"');
  });

  it.each([
    ['no --pipeline', ['a.csv', '--out', 'o']],
    ['a CSV that does not exist', ['missing.csv', '--pipeline', pipeline, '--out', 'o']],
    ['an unknown option', ['a.csv', '--pipeline', pipeline, '--out', 'o', '--fast']],
  ])('exits 2 on a usage error: %s', async (_name, args) => {
    expect(await main(['local', ...args])).toBe(2);
  });

  it('exits 2 on a faults file with a bad field', async () => {
    const args = [join(dir, 'questions.csv'), '--pipeline', pipeline, '--out', join(dir, 'x')];
    expect(await main(['local', ...args, '--faults', join(dir, 'bad-faults.json')])).toBe(2);
  });
});
