import { describe, expect, it } from 'vitest';
import {
  InvalidEncodingError,
  SchemaMismatchError,
  UnexpectedDelimiterError,
} from '../../../lambda/core/contract/errors';
import { run, testPipeline } from '../prepare/helpers';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('messages about the file name what a person sees', () => {
  it.each([1, 2, 7, 4096])(
    'counts the byte-order mark in an invalid-UTF-8 offset (chunks of %i bytes)',
    async (chunk) => {
      const body = Buffer.from('Context,Response\nabc,d\xe9f\n', 'latin1');
      const at = body.indexOf(0xe9);
      await expect(run(Buffer.concat([BOM, body]), undefined, { chunk })).rejects.toThrow(
        `byte 0xE9 at byte offset ${at + 3}.`,
      );
      await expect(run(body, undefined, { chunk })).rejects.toThrow(`byte 0xE9 at byte offset ${at}.`);
      await expect(run(body, undefined, { chunk })).rejects.toThrow(InvalidEncodingError);
    },
  );

  it('calls a semicolon header with a comma inside a name UNEXPECTED_DELIMITER', async () => {
    const csv = 'Context;Response,extra;id\na;b,c;1\n';
    await expect(run(csv)).rejects.toThrow(UnexpectedDelimiterError);
    await expect(run(csv)).rejects.toThrow(/separated by semicolons/);
  });

  it('keeps a comma-separated header whose name holds one semicolon', async () => {
    const { plan } = await run('Context,Response,Notes; internal\na,b,c\n');
    expect(plan.header).toEqual(['Context', 'Response', 'Notes; internal']);
  });

  it('says a column that looks right holds an invisible character (a double byte-order mark)', async () => {
    const csv = Buffer.concat([BOM, BOM, Buffer.from('Context,Response\na,b\n')]);
    const failure = run(csv);
    await expect(failure).rejects.toThrow(SchemaMismatchError);
    await expect(run(csv)).rejects.toThrow(
      /"<U\+FEFF>Context" looks like "Context" but holds the invisible character U\+FEFF \(the file starts with a second byte-order mark\)/,
    );
  });

  it('names the invisible character for the idColumn too', async () => {
    const csv = 'Context,Response,\u200bid\na,b,1\n';
    await expect(run(csv, testPipeline({ idColumn: 'id' }))).rejects.toThrow(/invisible character U\+200B/);
  });
});
