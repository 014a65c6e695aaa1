import { describe, expect, it } from 'vitest';
import { InvalidPipelineError } from '../../../lambda/core/contract/errors';
import { parseInboxKey } from '../../../lambda/core/contract/layout';
import { baseName } from '../../../lambda/core/contract/run-id';
import { inputFormatOf } from '../../../lambda/core/input/format';
import { signatureOf } from '../../../lambda/core/input/sniff';
import { WHAT_TO_DO } from '../../../lambda/core/job/failure';
import { parsePipeline } from '../../../lambda/core/pipeline/pipeline';

describe('input formats', () => {
  it('picks the reader by extension in any letter case; other names are not inputs', () => {
    expect(
      [
        'a.csv',
        'a.CSV',
        'b.xlsx',
        'b.XlSx',
        'm.XLSM',
        'c.jsonl',
        'c.JSONL',
        'd.parquet',
        'd.PaRqUeT',
        'e.xls',
      ].map(inputFormatOf),
    ).toEqual(['csv', 'csv', 'xlsx', 'xlsx', 'xlsx', 'jsonl', 'jsonl', 'parquet', 'parquet', 'xls']);
    for (const name of ['a.json', 'a.txt', 'a', 'dir.xlsx/file', 'a.xlsx.tmp'])
      expect(inputFormatOf(name), name).toBeUndefined();
  });

  it('accepts the new suffixes as inbox keys and strips them from run id slugs', () => {
    expect(parseInboxKey('inbox/qa/Q3 report.XLSX')).toEqual({ pipeline: 'qa', path: 'Q3 report.XLSX' });
    expect(parseInboxKey('inbox/qa/events.jsonl')).toBeDefined();
    expect(parseInboxKey('inbox/qa/notes.txt')).toBeUndefined();
    expect(baseName('inbox/qa/Q3 report.Parquet')).toBe('Q3 report');
    expect(baseName('inbox/qa/Q3.report.csv')).toBe('Q3.report');
  });

  it('tells zip, OLE and Parquet signatures apart', () => {
    expect(signatureOf(Buffer.from('PK\x03\x04rest'))).toBe('zip');
    expect(signatureOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('ole');
    expect(signatureOf(Buffer.from('PAR1xxxx'))).toBe('parquet');
    expect(signatureOf(Buffer.from('id,q\n'))).toBe('other');
  });
});

describe('the pipeline field sheet', () => {
  const base = { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', promptTemplate: '{{q}}' };

  it('is kept when it is an Excel sheet name and refused otherwise', () => {
    expect(parsePipeline({ ...base, sheet: 'Q3 data' }, 'p', '.').sheet).toBe('Q3 data');
    expect(parsePipeline(base, 'p', '.').sheet).toBeUndefined();
    for (const sheet of ['', 'a/b', 'x'.repeat(32), 3]) {
      expect(() => parsePipeline({ ...base, sheet }, 'p', '.'), String(sheet)).toThrow(InvalidPipelineError);
    }
  });

  it('has a what-to-do sentence for every new file error code', () => {
    for (const code of [
      'INVALID_XLSX',
      'XLSX_ENCRYPTED',
      'XLS_NOT_SUPPORTED',
      'XLSX_NO_WORKSHEET',
      'SHEET_NOT_FOUND',
      'INVALID_JSONL',
      'INVALID_PARQUET',
    ]) {
      expect(WHAT_TO_DO[code], code).toMatch(/^[A-Z].*\.$/);
    }
  });
});
