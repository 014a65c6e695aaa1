/** Splitting a byte stream into lines without holding more than one chunk and one line. */

/**
 * The lines of a UTF-8 stream (`\n` or `\r\n`), blank lines skipped. A last line without a newline is
 * still yielded, so a truncated final record reaches the parser and is reported, not lost. Each line is
 * decoded on its own (a newline byte is never part of a multi-byte character, so the text is the same as
 * decoding the stream). Decoding a megabyte chunk into one string costs about ten times more; the
 * 16-64 KiB chunks of an S3 stream cost about the same either way (bench/RESULTS.md, "Issue 14 item 4, third
 * round").
 *
 * @example for await (const line of readLines(body)) handle(line);
 */
export async function* readLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  for await (const line of readByteLines(source)) yield line.toString('utf8');
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
  // A line that spans chunks: its pieces, joined once at its newline (a long line costs no re-copying).
  let pieces: Buffer[] = [];
  for await (const piece of source) {
    const chunk =
      typeof piece === 'string'
        ? Buffer.from(piece, 'utf8')
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    if (newline >= 0 && pieces.length > 0) {
      pieces.push(chunk.subarray(0, newline));
      const line = byteLine(Buffer.concat(pieces));
      if (line.length > 0) yield line;
      pieces = [];
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    while (newline >= 0) {
      const line = byteLine(chunk.subarray(start, newline));
      if (line.length > 0) yield line;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) pieces.push(Buffer.from(chunk.subarray(start)));
  }
  const last = pieces.length === 0 ? undefined : byteLine(Buffer.concat(pieces));
  if (last !== undefined && last.length > 0) yield last;
}

function byteLine(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
