import { describe, expect, it } from 'vitest';
import { BufferedSink, StringSink, type TextSink } from '../../../lambda/core/collect/sink';

describe('BufferedSink', () => {
  it('passes every write on in order, in chunks of whole UTF-8 characters', async () => {
    const chunks: (string | Uint8Array)[] = [];
    const target: TextSink = { write: async (chunk) => void chunks.push(chunk) };
    const sink = new BufferedSink(target, 64);
    const writes = [
      'a,b\r\n',
      'é日😀'.repeat(3),
      new TextEncoder().encode('bytes:é\n'),
      'x'.repeat(100),
      '',
      'end',
    ];
    for (const write of writes) await sink.write(write);
    await sink.flush();
    const decode = (chunk: string | Uint8Array) =>
      typeof chunk === 'string' ? chunk : new TextDecoder('utf-8', { fatal: true }).decode(chunk);
    const expected = writes.map(decode).join('');
    expect(chunks.map(decode).join('')).toBe(expected);
    expect(chunks.length).toBeGreaterThan(2);
    const text = new StringSink();
    const viaString = new BufferedSink(text, 64);
    for (const write of writes) await viaString.write(write);
    await viaString.flush();
    expect(text.text()).toBe(expected);
  });
});
