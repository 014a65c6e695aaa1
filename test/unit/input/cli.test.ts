import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { capture } from '../../helpers/capture';
import { csvTable, writeTableParquet, writeTableXlsx } from '../../helpers/input-formats';

const root = join(import.meta.dirname, '../../..');
const pipeline = join(root, 'pipelines/qa-auditor.json');

afterEach(() => vi.restoreAllMocks());

describe('bedrock-batch prepare with the other formats', () => {
  it('builds the same shards from the example as .xlsx and .parquet as from the CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prep-formats-'));
    const table = csvTable(readFileSync(join(root, 'examples/conversations.csv'), 'utf8'));
    await writeTableXlsx(join(dir, 'c.XLSX'), table);
    writeTableParquet(join(dir, 'c.parquet'), table);
    const shards: string[] = [];
    for (const file of [
      join(root, 'examples/conversations.csv'),
      join(dir, 'c.XLSX'),
      join(dir, 'c.parquet'),
    ]) {
      const out = join(dir, `out-${shards.length}`);
      capture();
      expect(await main(['prepare', file, '--pipeline', pipeline, '--out', out]), file).toBe(0);
      shards.push(readFileSync(join(out, 'batch-input/shard-0001.jsonl'), 'utf8'));
    }
    expect(shards[1]).toBe(shards[0]);
    expect(shards[2]).toBe(shards[0]);
  });

  it('exits 1 with the code and one sentence, no stack trace, for a password-protected workbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prep-formats-'));
    const file = join(dir, 'locked.xlsx');
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    writeFileSync(file, Buffer.concat([ole, Buffer.alloc(100), Buffer.from('EncryptedPackage', 'utf16le')]));
    const io = capture();
    expect(await main(['prepare', file, '--pipeline', pipeline, '--out', join(dir, 'out')])).toBe(1);
    expect(io.err()).toMatch(/^bedrock-batch prepare: XLSX_ENCRYPTED: The workbook is password-protected/);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});
