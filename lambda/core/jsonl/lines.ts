/** Splitting a byte stream into text lines without holding more than one chunk and one line. */
import { StringDecoder } from 'node:string_decoder';

/**
 * The lines of a UTF-8 stream (`\n` or `\r\n`), blank lines skipped. A last line without a newline is
 * still yielded, so a truncated final record reaches the parser and is reported, not lost.
 *
 * @example for await (const line of readLines(body)) handle(line);
 */
export async function* readLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    let newline = text.indexOf('\n');
    if (newline >= 0 && rest.length > 0) {
      const line = lineAt(rest + text.slice(0, newline), 0, rest.length + newline);
      if (line.length > 0) yield line;
      rest = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    while (newline >= 0) {
      const line = lineAt(text, start, newline);
      if (line.length > 0) yield line;
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = start === 0 ? rest + text : text.slice(start);
  }
  rest += decoder.end();
  const last = lineAt(rest, 0, rest.length);
  if (last.length > 0) yield last;
}

function lineAt(text: string, start: number, end: number): string {
  const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
  return text.slice(start, stop);
}

/** The lines of several streams, one after the other. */
export async function* concatLines(
  sources: AsyncIterable<AsyncIterable<Uint8Array | string>>,
): AsyncGenerator<string> {
  for await (const source of sources) yield* readLines(source);
}

const NEWLINE = 0x0a;

/**
 * {@link readLines} as bytes: the lines of a stream as `Buffer`s (views into the chunk when a line lies
 * within one), `\n` or `\r\n`, blank lines skipped, a last line without a newline still yielded.
 */
export async function* readByteLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer> {
  let rest: Buffer | undefined;
  for await (const piece of source) {
    const chunk =
      typeof piece === 'string'
        ? Buffer.from(piece, 'utf8')
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    if (newline >= 0 && rest !== undefined) {
      const line = byteLine(Buffer.concat([rest, chunk.subarray(0, newline)]));
      if (line.length > 0) yield line;
      rest = undefined;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    while (newline >= 0) {
      const line = byteLine(chunk.subarray(start, newline));
      if (line.length > 0) yield line;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      rest = rest === undefined ? Buffer.from(tail) : Buffer.concat([rest, tail]);
    }
  }
  const last = rest === undefined ? undefined : byteLine(rest);
  if (last !== undefined && last.length > 0) yield last;
}

function byteLine(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
