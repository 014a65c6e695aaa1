/** Text sinks: where result files are written, with writes batched into large chunks. */

/** Anything that accepts text or UTF-8 bytes with back-pressure (an S3 multipart upload, a file, tests). */
export interface TextSink {
  write(chunk: string | Uint8Array): Promise<void>;
}

/**
 * Batches small writes into UTF-8 chunks of about `chunkSize` bytes before passing them on. Each write is
 * encoded straight into the chunk, so no joined string is built and no chunk splits a character.
 */
export class BufferedSink implements TextSink {
  private chunk: Buffer;
  private size = 0;

  constructor(
    private readonly target: TextSink,
    private readonly chunkSize = 256 * 1024,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  async write(text: string | Uint8Array): Promise<void> {
    if (this.append(text)) return;
    await this.flush();
    if (!this.append(text)) await this.target.write(text);
  }

  /**
   * Copies `text` into the chunk when it surely fits, without waiting (the writer's per-row path);
   * returns false, having copied nothing, when it may not: then {@link write} it.
   */
  append(text: string | Uint8Array): boolean {
    if (typeof text === 'string') {
      if (this.size + text.length * 3 > this.chunkSize) return false;
      this.size += this.chunk.write(text, this.size);
    } else {
      if (this.size + text.length > this.chunkSize) return false;
      this.chunk.set(text, this.size);
      this.size += text.length;
    }
    return true;
  }

  /** Passes on whatever is buffered. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const full = this.chunk.subarray(0, this.size);
    this.chunk = Buffer.allocUnsafe(this.chunkSize);
    this.size = 0;
    await this.target.write(full);
  }
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A sink that keeps everything in memory (tests, small local runs). */
export class StringSink implements TextSink {
  private parts: string[] = [];

  async write(chunk: string | Uint8Array): Promise<void> {
    this.parts.push(typeof chunk === 'string' ? chunk : utf8.decode(chunk));
  }

  /** Everything written so far. */
  text(): string {
    return this.parts.join('');
  }
}
