/** Text sinks: where result files are written, with writes batched into large chunks. */

/** Anything that accepts text with back-pressure (an S3 multipart upload, a file, an array in tests). */
export interface TextSink {
  write(chunk: string): Promise<void>;
}

/** Batches small writes into chunks of about `chunkSize` characters before passing them on. */
export class BufferedSink implements TextSink {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly target: TextSink,
    private readonly chunkSize = 256 * 1024,
  ) {}

  async write(chunk: string): Promise<void> {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.chunkSize) await this.flush();
  }

  /** Passes on whatever is buffered. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.target.write(text);
  }
}

/** A sink that keeps everything in memory (tests, small local runs). */
export class StringSink implements TextSink {
  private parts: string[] = [];

  async write(chunk: string): Promise<void> {
    this.parts.push(chunk);
  }

  /** Everything written so far. */
  text(): string {
    return this.parts.join('');
  }
}
