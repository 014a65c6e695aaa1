import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileErrorSentence } from '../../../cli/files';
import { failureLine, main } from '../../../cli/main';
import { capture } from '../../helpers/capture';

const root = join(import.meta.dirname, '../../..');
const pipeline = join(root, 'pipelines/qa-auditor.json');
const csv = join(root, 'examples/conversations.csv');

afterEach(() => vi.restoreAllMocks());

/** stderr is one line: the verb, then one sentence; no usage text, no stack frame. */
function expectOneSentence(err: string, pattern: RegExp): void {
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).toMatch(pattern);
  expect(err).not.toMatch(/\n\s+at |Usage:/);
}

describe('bedrock-batch prepare: paths are checked before any work', () => {
  it.each([
    ['--out is a file', (d: string) => ['--out', join(d, 'file')], /--out .*file is a file/],
    [
      '--out is below a file (ENOTDIR)',
      (d: string) => ['--out', join(d, 'file', 'sub')],
      /part of the path .* is a file, not a folder/,
    ],
    [
      '--out has a name too long (ENAMETOOLONG)',
      (d: string) => ['--out', join(d, 'n'.repeat(300))],
      /is too long for this file system/,
    ],
  ])('%s: exit 2 with one sentence', async (_what, out, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
    writeFileSync(join(dir, 'file'), 'x');
    const io = capture();
    expect(await main(['prepare', csv, '--pipeline', pipeline, ...out(dir)])).toBe(2);
    expectOneSentence(io.err(), message);
    expect(io.out()).toBe('');
  });

  it('a folder as the CSV or as the pipeline (EISDIR): exit 2 with one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
    let io = capture();
    expect(await main(['prepare', dir, '--pipeline', pipeline, '--out', join(dir, 'o')])).toBe(2);
    expectOneSentence(io.err(), /CSV file .* is a folder, not a file/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['prepare', csv, '--pipeline', dir, '--out', join(dir, 'o')])).toBe(2);
    expectOneSentence(io.err(), /pipeline file .* is a folder, not a file/);
  });

  it('a reused --out never mixes runs: an earlier prepare with more shards leaves no stale shard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
    const out = join(dir, 'out');
    const many = join(dir, 'many.json');
    const qa = { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', promptTemplate: 'Q {{Context}}' };
    writeFileSync(many, JSON.stringify({ ...qa, minRecordsPerJob: 100, maxRecordsPerJob: 200 }));
    writeFileSync(join(dir, 'one.json'), JSON.stringify(qa));
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    capture();
    expect(await main(['prepare', csv, '--pipeline', many, '--out', out])).toBe(0);
    expect(readdirSync(join(out, 'batch-input'))).toEqual(['shard-0001.jsonl', 'shard-0002.jsonl']);
    expect(await main(['prepare', csv, '--pipeline', join(dir, 'one.json'), '--out', out])).toBe(0);
    expect(readdirSync(join(out, 'batch-input'))).toEqual(['shard-0001.jsonl']);
    expect(readdirSync(join(out, 'rows')).sort()).toEqual([
      'duplicates.jsonl',
      'rejected.jsonl',
      'shard-0001.jsonl',
    ]);
    expect(readdirSync(out).sort()).toEqual([
      'batch-input',
      'notes.txt',
      'pipeline.json',
      'plan.json',
      'rows',
    ]);
  });

  it('a failed prepare leaves --out as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
    const out = join(dir, 'out');
    writeFileSync(join(dir, 'empty.csv'), '');
    capture();
    expect(await main(['prepare', csv, '--pipeline', pipeline, '--out', out])).toBe(0);
    expect(await main(['prepare', join(dir, 'empty.csv'), '--pipeline', pipeline, '--out', out])).toBe(1);
    expect(existsSync(join(out, 'batch-input', 'shard-0001.jsonl'))).toBe(true);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('CLI failures are one sentence', () => {
  it.each([
    ['EISDIR', /is a folder, not a file/],
    ['ENOTDIR', /is a file, not a folder/],
    ['EACCES', /permission denied for/],
    ['EPERM', /permission denied for/],
    ['EROFS', /read-only/],
    ['ENAMETOOLONG', /too long/],
    ['ENOSPC', /no space left/],
  ])('names %s and the path', (code, sentence) => {
    const error = Object.assign(new Error(`${code}: raw`), { code, path: '/x/y' });
    expect(fileErrorSentence(error)).toMatch(sentence);
    expect(failureLine(error)).toMatch(/\/x\/y/);
  });

  it('keeps only the first line of any other error', () => {
    const error = new Error('first line\n    at somewhere (file.ts:1:1)');
    expect(failureLine(error)).toBe('first line');
  });
});
