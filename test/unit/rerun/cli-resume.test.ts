/** `bedrock-batch local --resume`: checked before the local stack starts (the stack path is in test/e2e). */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { loadPipeline } from '../../../lambda/core/pipeline/pipeline';
import { pipelineSha256 } from '../../../lambda/core/rerun/fingerprint';
import { capture } from '../../helpers/capture';

const root = join(import.meta.dirname, '../../..');
const pipelineFile = join(root, 'pipelines/qa-auditor.json');
const csv = join(root, 'examples/conversations.csv');

afterEach(() => vi.restoreAllMocks());

/** A previous results folder whose summary.json has `fingerprint` and the given counts. */
function previousDir(fingerprint: Record<string, string>, counts = { input: 10, ok: 4 }): string {
  const dir = mkdtempSync(join(tmpdir(), 'resume-'));
  writeFileSync(
    join(dir, 'summary.json'),
    JSON.stringify({ runId: 'conversations-0123456789ab', counts, fingerprint }),
  );
  writeFileSync(join(dir, 'results.jsonl'), '');
  return dir;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('bedrock-batch local --resume', () => {
  it.each([
    [
      'the CSV changed',
      () => ({ inputSha256: 'f'.repeat(64), pipelineSha256: pipelineSha256(loadPipeline(pipelineFile)) }),
      /RERUN_REFUSED: The input file changed since run conversations-0123456789ab/,
    ],
    [
      'the pipeline changed',
      () => ({ inputSha256: sha(readFileSync(csv)), pipelineSha256: '0'.repeat(64) }),
      /RERUN_REFUSED: The pipeline "qa-auditor" changed since run/,
    ],
  ])(
    'refuses with one sentence and exit 1 when %s, before starting anything',
    async (_what, fingerprint, message) => {
      const io = capture();
      const out = mkdtempSync(join(tmpdir(), 'resume-out-'));
      const code = await main([
        'local',
        csv,
        '--pipeline',
        pipelineFile,
        '--out',
        out,
        '--resume',
        previousDir(fingerprint()),
      ]);
      expect(code).toBe(1);
      expect(io.err().trim().split('\n')).toHaveLength(1);
      expect(io.err()).toMatch(message);
      expect(io.out()).toBe('');
    },
  );

  it('is a usage error (exit 2) when the folder holds no finished run', async () => {
    const io = capture();
    const empty = mkdtempSync(join(tmpdir(), 'resume-empty-'));
    const out = mkdtempSync(join(tmpdir(), 'resume-out-'));
    expect(await main(['local', csv, '--pipeline', pipelineFile, '--out', out, '--resume', empty])).toBe(2);
    expect(io.err()).toMatch(/--resume .* holds no finished run/);
  });
});
