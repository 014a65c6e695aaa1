import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { capture } from '../../helpers/capture';

const root = join(import.meta.dirname, '../../..');
const pipeline = join(root, 'pipelines/qa-auditor.json');

afterEach(() => vi.restoreAllMocks());

describe('bedrock-batch prepare', () => {
  it('prepares the example file: shards with exactly recordId and modelInput, sidecars that match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prep-'));
    const io = capture();
    const code = await main([
      'prepare',
      join(root, 'examples/conversations.csv'),
      '--pipeline',
      pipeline,
      '--out',
      dir,
    ]);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/rows +3\d\d/);
    expect(io.out()).toMatch(/input cost +batch \$[\d.]+ vs on-demand \$[\d.]+/);
    expect(readdirSync(join(dir, 'batch-input'))).toEqual(['shard-0001.jsonl']);
    const shard = readFileSync(join(dir, 'batch-input/shard-0001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const rows = readFileSync(join(dir, 'rows/shard-0001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(shard.length).toBeGreaterThanOrEqual(300);
    expect(shard.every((l) => Object.keys(l).sort().join() === 'modelInput,recordId')).toBe(true);
    expect(rows.map((r) => r.recordId)).toEqual(shard.map((l) => l.recordId));
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).records).toBe(shard.length);
  });

  it('exits 1 with the code and reason for a rejected file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prep-'));
    const csv = join(dir, 'book.csv');
    writeFileSync(csv, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const io = capture();
    expect(await main(['prepare', csv, '--pipeline', pipeline, '--out', join(dir, 'out')])).toBe(1);
    expect(io.err()).toMatch(/NOT_CSV: The file is a zip archive/);
  });

  it('exits 2 on usage errors', async () => {
    const io = capture();
    expect(await main(['prepare', 'a.csv'])).toBe(2);
    expect(await main(['prepare', 'missing.csv', '--pipeline', pipeline, '--out', 'x'])).toBe(2);
    expect(await main(['prepare', '--pipeline', pipeline, '--out', 'x'])).toBe(2);
    expect(await main(['prepare', pipeline, '--pipeline', 'nope.json', '--out', 'x'])).toBe(2);
    expect(io.err()).toMatch(/--pipeline is required/);
    expect(io.err()).toMatch(/no such pipeline file: nope\.json/);
  });
});
