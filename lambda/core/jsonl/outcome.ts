/**
 * One Bedrock output line turned into a row outcome: ok or error, the output cell, tokens, stop reason,
 * and (json mode) the validated object. Pure and per line, so outcomes can be built while streaming.
 */
import { RowErrorCode } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';
import { isEmbeddingKind, type OutputKind, outputKind, parseModelOutput } from '../models/output';
import { compileSchema, extractJsonObject, type JsonObject, type SchemaCheck } from '../pipeline/json-output';
import { parseObjectLine } from './json-line';
import { modelOutputText } from './output-text';

/** How a pipeline's answers are read. */
export interface OutputMode {
  readonly kind: OutputKind;
  /** json mode when set: the answers must be JSON objects (checked against the schema when there is one). */
  readonly json?: { readonly check?: SchemaCheck };
}

/** The output mode of a pipeline: its body kind, and json mode with the schema compiled once. */
export function outputModeFor(pipeline: PipelineDefinition): OutputMode {
  const kind = outputKind(pipeline.modelId, pipeline.invocationType);
  if (pipeline.output.format !== 'json') return { kind };
  return {
    kind,
    json: { check: pipeline.output.schema ? compileSchema(pipeline.output.schema) : undefined },
  };
}

/** What one output line means for its row. */
export interface RecordOutcome {
  readonly status: 'ok' | 'error';
  /** The `output` cell: the text, the JSON text (json mode), the vector's dimension (embeddings). */
  readonly output: string;
  /** json mode: the object read from the answer; `output` is then its JSON text. */
  readonly fields?: JsonObject;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly stopReason?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** An outcome plus the JSON members results.jsonl appends verbatim (`"model_output":...` and the like). */
export interface LineOutcome {
  readonly recordId: string;
  /** True for a `modelOutput` line, false for an `error` line (as Bedrock's manifest counts them). */
  readonly answered: boolean;
  readonly outcome: RecordOutcome;
  /**
   * JSON members without braces, e.g. `"embedding":[...],"model_output":{...}`, made when asked (Collect
   * asks; the retry scan, which reads only the outcome, does not).
   */
  readonly tail: () => string;
}

const TRUNCATED_STOPS = new Set(['max_tokens', 'length']);

/**
 * Reads one `.jsonl.out` line. `undefined` for a line that is not a record at all (truncated, not JSON,
 * no `recordId`, neither `modelOutput` nor `error`).
 */
export function readOutputLine(line: string, mode: OutputMode): LineOutcome | undefined {
  const value = parseObjectLine(line);
  if (value === undefined) return undefined;
  const { recordId, modelOutput, error } = value;
  if (typeof recordId !== 'string' && typeof recordId !== 'number') return undefined;
  const id = String(recordId);
  if (modelOutput !== undefined) {
    const whole = () => `"model_output":${modelOutputText(line, recordId) ?? JSON.stringify(modelOutput)}`;
    return { recordId: id, answered: true, ...outcomeOfOutput(modelOutput, whole, mode) };
  }
  if (typeof error === 'object' && error !== null) {
    const { errorCode, errorMessage } = error as { errorCode?: unknown; errorMessage?: unknown };
    const code = errorCode === undefined ? '' : `${String(errorCode)}: `;
    return {
      recordId: id,
      answered: false,
      outcome: {
        status: 'error',
        output: '',
        errorCode: RowErrorCode.ModelError,
        errorMessage: `${code}${typeof errorMessage === 'string' ? errorMessage : 'the model returned an error'}`,
      },
      tail: () => `"model_error":${JSON.stringify(error)}`,
    };
  }
  return undefined;
}

/**
 * An embedding body without its float vectors (`embedding`, `embeddingsByType.float`): results.jsonl
 * carries the vector once, as `embedding`, instead of two or three times.
 */
function withoutVectors(modelOutput: unknown): Record<string, unknown> {
  const { embedding: _vector, ...rest } = modelOutput as Record<string, unknown>;
  const byType = rest.embeddingsByType;
  if (typeof byType === 'object' && byType !== null) {
    const { float: _float, ...others } = byType as Record<string, unknown>;
    rest.embeddingsByType = others;
  }
  return rest;
}

/**
 * The outcome of an answered line; `whole` is the tail that carries the body as the line spells it (an
 * embedding's tail carries it without its vectors instead).
 */
function outcomeOfOutput(
  modelOutput: unknown,
  whole: () => string,
  mode: OutputMode,
): { outcome: RecordOutcome; tail: () => string } {
  const read = parseModelOutput(mode.kind, modelOutput);
  if (!read.ok) {
    return {
      outcome: { status: 'error', output: '', errorCode: RowErrorCode.ModelError, errorMessage: read.reason },
      tail: whole,
    };
  }
  const usage = {
    inputTokens: read.inputTokens,
    outputTokens: read.outputTokens,
    stopReason: read.stopReason,
  };
  if (isEmbeddingKind(mode.kind)) {
    const vector = read.embedding ?? [];
    return {
      outcome: { status: 'ok', output: String(vector.length), ...usage },
      tail: () =>
        `"embedding":${JSON.stringify(vector)},"model_output":${JSON.stringify(withoutVectors(modelOutput))}`,
    };
  }
  const text = read.text ?? '';
  if (!mode.json) return { outcome: { status: 'ok', output: text, ...usage }, tail: whole };
  const extracted = extractJsonObject(text);
  if (!extracted.ok) {
    const cut =
      read.stopReason && TRUNCATED_STOPS.has(read.stopReason)
        ? ' (the answer stopped at the token limit)'
        : '';
    return {
      outcome: {
        status: 'error',
        output: text,
        ...usage,
        errorCode: RowErrorCode.InvalidJsonOutput,
        errorMessage: `${extracted.reason}${cut}`,
      },
      tail: whole,
    };
  }
  const violation = mode.json.check?.(extracted.value);
  if (violation !== undefined) {
    return {
      outcome: {
        status: 'error',
        output: extracted.json,
        fields: extracted.value,
        ...usage,
        errorCode: RowErrorCode.SchemaViolation,
        errorMessage: violation,
      },
      tail: whole,
    };
  }
  return {
    outcome: { status: 'ok', output: extracted.json, fields: extracted.value, ...usage },
    tail: whole,
  };
}
