import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapedBound, escapeJsonInto } from '../../../lambda/core/prepare/json-escape';

/** Escapes `text` placed at an offset inside a larger buffer, as the encoder does with chunk views. */
function escaped(text: string, pad = 3): string {
  const bytes = Buffer.from(text, 'utf8');
  const src = Buffer.concat([Buffer.from('x'.repeat(pad)), bytes, Buffer.from('yy')]);
  const dst = Buffer.alloc(escapedBound(bytes.length) + 8, 0xff);
  const end = escapeJsonInto(src, pad, pad + bytes.length, dst, 4);
  return dst.subarray(4, end).toString('utf8');
}

describe('escapeJsonInto', () => {
  it('equals JSON.stringify for plain runs of any length around every byte JSON escapes', () => {
    for (const run of [0, 1, 47, 48, 49, 200]) {
      const plain = Array.from('é東😊a'.repeat(run)).slice(0, run).join('');
      const text = `${plain}"${plain}\\${plain}\n\r\t\b\f\u0000\u001f\u007f${plain}`;
      expect(escaped(text)).toBe(JSON.stringify(text));
    }
  });

  it('copies a cell that needs no escaping unchanged, at any offset, and handles an empty cell', () => {
    const long = 'plain text with accents café and CJK 東京 '.repeat(20);
    expect(escaped(long, 0)).toBe(JSON.stringify(long));
    expect(escaped(long, 11)).toBe(JSON.stringify(long));
    expect(escaped('')).toBe('""');
  });

  it('equals JSON.stringify for any text (multi-byte characters and every control character)', () => {
    const texts = fc.string({ unit: 'grapheme', maxLength: 300 });
    const controls = fc.array(fc.constantFrom('"', '\\', '\n', '\u0001', 'a'.repeat(60), '\u00e9'), {
      maxLength: 20,
    });
    fc.assert(
      fc.property(texts, controls, fc.integer({ min: 0, max: 9 }), (text, extra, pad) => {
        const all = text + extra.join('');
        expect(escaped(all, pad)).toBe(JSON.stringify(all));
      }),
    );
  });
});
