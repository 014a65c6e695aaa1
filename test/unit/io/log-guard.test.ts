import { describe, expect, it } from 'vitest';
import { InvalidCsvError } from '../../../lambda/core/contract/errors';
import { MAX_SAFE_STRING, REDACTED, safeError, scrubAttributes } from '../../../lambda/io/log-guard';
import { bindRun, createLogger } from '../../../lambda/io/telemetry';
import { captureStdout } from './capture';

const MARKER = 'ZEBRA-ROW-TEXT-7731';

describe('scrubAttributes', () => {
  it('keeps ids, codes, numbers and booleans and redacts every other string, however deep', () => {
    const scrubbed = scrubAttributes({
      runId: 'q3-0123456789ab',
      rows: 12,
      done: true,
      nothing: null,
      cells: [MARKER, 'x'],
      counters: { ok: 3, note: MARKER },
      warnings: [{ code: 'DUPLICATE_RECORD', shard: 2, message: MARKER }],
      output: MARKER,
    });
    expect(scrubbed).toEqual({
      runId: 'q3-0123456789ab',
      rows: 12,
      done: true,
      nothing: null,
      cells: [REDACTED, REDACTED],
      counters: { ok: 3, note: REDACTED },
      warnings: [{ code: 'DUPLICATE_RECORD', shard: 2, message: REDACTED }],
      output: REDACTED,
    });
  });

  it('caps a long string under a safe key', () => {
    const key = `inbox/qa/${'a'.repeat(2000)}.csv`;
    const scrubbed = scrubAttributes({ key }) as { key: string };
    expect(scrubbed.key).toHaveLength(MAX_SAFE_STRING);
    expect(scrubbed.key.endsWith('…')).toBe(true);
  });

  it('redacts strings nested deeper than it follows', () => {
    let deep: Record<string, unknown> = { runId: MARKER };
    for (let i = 0; i < 10; i++) deep = { level: deep };
    expect(JSON.stringify(scrubAttributes(deep))).not.toContain(MARKER);
  });
});

describe('safeError', () => {
  it('drops the message of an error that is not a typed pipeline error', () => {
    const error = new SyntaxError(`Unexpected token in JSON: "${MARKER}"`);
    const safe = safeError(error);
    expect(safe.name).toBe('SyntaxError');
    expect(safe.message).toBeUndefined();
    expect(JSON.stringify(safe)).not.toContain(MARKER);
  });

  it('keeps the message and code of a typed pipeline error, and an AWS status code', () => {
    const safe = safeError(new InvalidCsvError('Unterminated quote on line 4'));
    expect(safe).toMatchObject({
      name: 'InvalidCsvError',
      code: 'INVALID_CSV',
      message: 'Unterminated quote on line 4',
    });
    const aws = Object.assign(new Error(MARKER), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(safeError(aws)).toMatchObject({ name: 'AccessDenied', httpStatusCode: 403 });
  });

  it('follows causes without their messages', () => {
    const error = new Error('outer', { cause: new TypeError(MARKER) });
    const safe = safeError(error) as { cause: { name: string } };
    expect(safe.cause.name).toBe('TypeError');
    expect(JSON.stringify(safe)).not.toContain(MARKER);
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the run keys and no row text, whatever a caller passes', () => {
    const logger = createLogger('collect-results');
    bindRun(logger, { runId: 'q3-0123456789ab', pipeline: 'qa' });
    const lines = captureStdout(() => {
      logger.info('Row joined', { cells: [MARKER], recordId: MARKER, rows: 1 });
      logger.error('Parse failed', new SyntaxError(`bad JSON: ${MARKER}`));
      logger.warn('Nested', { error: new Error(MARKER), detail: { text: MARKER } });
    });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toMatchObject({
        service: 'bedrock-batch-pipeline',
        handler: 'collect-results',
        runId: 'q3-0123456789ab',
        pipeline: 'qa',
      });
      expect(JSON.stringify(line)).not.toContain(MARKER);
    }
    expect(lines[1]?.error).toMatchObject({ name: 'SyntaxError' });
  });

  it('replaces the run keys when the next invocation binds another run', () => {
    const logger = createLogger('check-job');
    bindRun(logger, { runId: 'first-0123456789ab', pipeline: 'qa' });
    bindRun(logger, { runId: 'second-0123456789ab', pipeline: 'summaries' });
    const [line] = captureStdout(() => logger.info('Batch job checked'));
    expect(line).toMatchObject({ runId: 'second-0123456789ab', pipeline: 'summaries' });
  });
});
