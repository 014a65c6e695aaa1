/** What Collect reads out of one record's `modelOutput`, whatever the model family. */

/** Which response body to expect: one per InvokeModel family, plus the Converse body. */
export type OutputKind =
  | 'anthropic-claude'
  | 'amazon-nova'
  | 'meta-llama'
  | 'amazon-titan-embed-text'
  | 'converse';

/** A model output read successfully. Token counts are `undefined` when the body does not carry them. */
export interface ParsedOutput {
  readonly ok: true;
  /** The answer text (text models). */
  readonly text?: string;
  /** The vector (embedding models). */
  readonly embedding?: readonly number[];
  readonly stopReason?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** A `modelOutput` that does not have the shape its family promises. */
export interface UnreadableOutput {
  readonly ok: false;
  readonly reason: string;
}

/** The result of reading one `modelOutput`. */
export type OutputReading = ParsedOutput | UnreadableOutput;

/** A parser for one {@link OutputKind}. */
export type OutputParser = (body: Record<string, unknown>) => OutputReading;
