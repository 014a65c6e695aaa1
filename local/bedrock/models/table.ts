/**
 * The emulator's own table of Bedrock's batch-capable models and their per-model batch limits, written
 * from the batch reference (models by family, quotas as of the mid-2025 Service Quotas snapshot). Values
 * that reference does not state are marked in `unconfirmed`: the exact model ids it does not print, and
 * every context window. The settings file's `models` field adds or overrides entries (docs/emulator.md).
 */
import type { Shape } from '../model/check';

/** Body shapes a model speaks with the InvokeModel type (Converse jobs always use the Converse shape). */
export type ModelShape = Exclude<Shape, 'converse'>;

/** One batch-capable model: the body it speaks and its batch limits. */
export interface BatchModel {
  readonly shape: ModelShape;
  /** Context window in tokens: the prompt plus the requested output must fit. */
  readonly contextTokens: number;
  /** `Minimum number of records per batch inference job`. */
  readonly minRecordsPerJob: number;
  /** `Records per batch inference job`. */
  readonly maxRecordsPerJob: number;
  /** `Records per input file per batch inference job`. */
  readonly maxRecordsPerFile: number;
  /** `Batch inference input file size`, in bytes. */
  readonly maxFileBytes: number;
  /** `Batch inference job size` (all input files together), in bytes. */
  readonly maxJobBytes: number;
  /** One record's line at most, in bytes (the model request payload limit). */
  readonly maxRecordBytes: number;
  /** True when batch reaches the model only through cross-Region inference profiles. */
  readonly profileOnly?: boolean;
  /** Fields whose value (or the id itself, `id`) the reference does not confirm. */
  readonly unconfirmed: readonly string[];
}

const GB = 1024 ** 3;

/** The defaults every model shares unless its entry says otherwise (reference §5, mid-2025 snapshot). */
export const DEFAULT_LIMITS = {
  minRecordsPerJob: 100,
  maxRecordsPerJob: 50_000,
  maxRecordsPerFile: 50_000,
  maxFileBytes: 1 * GB,
  maxJobBytes: 5 * GB,
  /** The documented model request payload limit, 20 MB (read strictly as 20,000,000 bytes). */
  maxRecordBytes: 20_000_000,
} as const;

type Extra = Partial<Omit<BatchModel, 'shape' | 'contextTokens' | 'unconfirmed'>>;

function model(
  shape: ModelShape,
  contextTokens: number,
  unconfirmed: readonly string[],
  extra: Extra = {},
): BatchModel {
  return { shape, contextTokens, ...DEFAULT_LIMITS, ...extra, unconfirmed };
}

/** Printed in the reference: only the context window is a guess. */
const CONTEXT = ['contextTokens'];
/** Neither the id nor the context window is printed in the reference. */
const ID_AND_CONTEXT = ['id', 'contextTokens'];

/** Bedrock's batch-capable foundation models, by base model id (no ARN, no geography prefix). */
export const BATCH_MODELS: Readonly<Record<string, BatchModel>> = {
  // Anthropic Claude (Messages API).
  'anthropic.claude-3-haiku-20240307-v1:0': model('claude', 200_000, CONTEXT),
  'anthropic.claude-3-sonnet-20240229-v1:0': model('claude', 200_000, CONTEXT),
  'anthropic.claude-3-opus-20240229-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-3-5-haiku-20241022-v1:0': model('claude', 200_000, CONTEXT),
  'anthropic.claude-3-5-sonnet-20240620-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-3-5-sonnet-20241022-v2:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-3-7-sonnet-20250219-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-sonnet-4-20250514-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-opus-4-20250514-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-opus-4-1-20250805-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-sonnet-4-5-20250929-v1:0': model('claude', 200_000, CONTEXT),
  'anthropic.claude-haiku-4-5-20251001-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-opus-4-5-20251101-v1:0': model('claude', 200_000, ID_AND_CONTEXT),
  'anthropic.claude-sonnet-4-6': model('claude', 1_000_000, ID_AND_CONTEXT),
  'anthropic.claude-opus-4-6-v1': model('claude', 1_000_000, ID_AND_CONTEXT),
  'anthropic.claude-opus-4-7': model('claude', 1_000_000, ID_AND_CONTEXT),
  'anthropic.claude-opus-4-8': model('claude', 1_000_000, ID_AND_CONTEXT),
  'anthropic.claude-sonnet-5': model('claude', 1_000_000, ID_AND_CONTEXT),
  // Amazon Nova (Messages v1). Nova Pro's job size is 100 GB; Nova Premier runs only through profiles.
  'amazon.nova-micro-v1:0': model('nova', 128_000, CONTEXT),
  'amazon.nova-lite-v1:0': model('nova', 300_000, CONTEXT),
  'amazon.nova-pro-v1:0': model('nova', 300_000, ID_AND_CONTEXT, { maxJobBytes: 100 * GB }),
  'amazon.nova-premier-v1:0': model('nova', 1_000_000, ID_AND_CONTEXT, { profileOnly: true }),
  'amazon.nova-2-lite-v1:0': model('nova', 1_000_000, ID_AND_CONTEXT),
  // Amazon Titan embeddings.
  'amazon.titan-embed-text-v2:0': model('titan', 8_192, CONTEXT),
  'amazon.titan-embed-image-v1': model('generic', 128, ID_AND_CONTEXT),
  // Meta Llama 3.1, 3.2, 3.3 and 4 (Llama 4 Scout's minimum is 50 records).
  'meta.llama3-1-8b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-1-70b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-1-405b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-2-1b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-2-3b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-2-11b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-2-90b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama3-3-70b-instruct-v1:0': model('llama', 128_000, ID_AND_CONTEXT),
  'meta.llama4-scout-17b-instruct-v1:0': model('llama', 3_500_000, ID_AND_CONTEXT, { minRecordsPerJob: 50 }),
  'meta.llama4-maverick-17b-instruct-v1:0': model('llama', 1_000_000, ID_AND_CONTEXT),
  // Mistral Large 2 (24.07) and Mistral Small.
  'mistral.mistral-large-2407-v1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'mistral.mistral-small-2402-v1:0': model('generic', 32_000, ID_AND_CONTEXT),
  // Later quota lists: Qwen3, DeepSeek V3, OpenAI GPT OSS, Gemma.
  'qwen.qwen3-32b-v1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'qwen.qwen3-235b-a22b-2507-v1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'qwen.qwen3-coder-30b-a3b-v1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'qwen.qwen3-coder-480b-a35b-v1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'deepseek.v3-v1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'openai.gpt-oss-20b-1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'openai.gpt-oss-120b-1:0': model('generic', 128_000, ID_AND_CONTEXT),
  'google.gemma-3-4b-it': model('generic', 128_000, ID_AND_CONTEXT),
  'google.gemma-3-12b-it': model('generic', 128_000, ID_AND_CONTEXT),
  'google.gemma-3-27b-it': model('generic', 128_000, ID_AND_CONTEXT),
};
