import { describe, expect, it } from 'vitest';
import { inputFormatOf } from '../../../lambda/core/input/format';
import { signatureOf } from '../../../lambda/core/input/sniff';
import { parseInboxKey } from '../../../lambda/core/layout';
import { baseName } from '../../../lambda/core/run-id';

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
