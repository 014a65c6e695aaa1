import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthStack } from '../helpers/synth';

function pipelinesDir(files: Record<string, Record<string, unknown>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pipelines-deadline-'));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        promptTemplate: '{{text}}',
        ...body,
      }),
    );
  }
  return dir;
}

// Each case synthesises a stack (tens of seconds on a busy machine).
describe('pipeline deadlines at synth', () => {
  it('refuses a deadline at or after the execution timeout', () => {
    // timeoutHours 24: jobs may run 48 hours, the execution timeout is 2 × 48 + 12 = 108 hours.
    const dir = pipelinesDir({ due: { timeoutHours: 24, deadlineHours: 108 } });
    expect(() => synthStack({ pipeline: { pipelinesDir: dir } })).toThrow(
      'Pipeline "due": deadlineHours 108 is not before the state machine\'s execution timeout of 108 hours',
    );
  }, 120_000);

  it('warns when a full job cannot meet the deadline even on demand, and only then', () => {
    const dir = pipelinesDir({
      due: { deadlineHours: 2 },
      fits: { deadlineHours: 12, maxRecordsPerJob: 1000 },
    });
    const annotations = Annotations.fromStack(synthStack({ pipeline: { pipelinesDir: dir } }).stack);
    annotations.hasWarning(
      '*',
      Match.stringLikeRegexp(
        'Pipeline "due": 50000 records \\(maxRecordsPerJob\\) take about 11 hours on demand',
      ),
    );
    annotations.hasNoWarning('*', Match.stringLikeRegexp('Pipeline "fits"'));
  }, 120_000);
});
