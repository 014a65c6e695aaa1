/**
 * Where Prepare writes: an abstraction over streaming multipart uploads (the Lambda) and local files
 * (the CLI), so both run the same core. `lambda/io/s3.ts` `openUpload` already has this shape.
 */

/** One output object being written. */
export interface Sink {
  /** Appends bytes; resolves when more may be written (back-pressure). */
  write(chunk: string | Buffer): Promise<void>;
  /**
   * Resolves once no chunk written so far is still needed by the sink (written out, or copied), so the
   * caller may reuse that memory. Left out by sinks that cannot tell.
   */
  released?(): Promise<void>;
  /** Completes the object. */
  close(): Promise<void>;
  /** Discards the object (no partial output is left behind). */
  abort(): Promise<void>;
}

/** Opens sinks by key (an S3 key, or a path relative to the output folder). */
export interface SinkFactory {
  open(key: string, contentType: string): Sink;
}

/** Content types of what Prepare writes. */
export const CONTENT_TYPE = { jsonl: 'application/jsonl', json: 'application/json' } as const;
