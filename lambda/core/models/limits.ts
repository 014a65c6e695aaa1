/**
 * What a model accepts, as far as a pipeline must be checked against it before anything is billed:
 * Bedrock's batch minimum (records per job) and the context window (tokens). Documented in
 * docs/pipelines.md.
 */
import { baseModelId } from './family';

/** Bedrock's minimum number of records in one batch inference job, for every model supported today. */
export const BEDROCK_BATCH_MINIMUM = 100;

/**
 * The environment variable that lowers the batch minimum for the local Bedrock emulator only (tests and
 * demos with a handful of rows). Nothing deployed sets it; give the emulator the same number
 * (its `minRecordsPerJob` fault) so the emulator refuses what Bedrock would.
 */
export const EMULATOR_MIN_RECORDS_VARIABLE = 'BEDROCK_BATCH_EMULATOR_MIN_RECORDS';

/**
 * The smallest `minRecordsPerJob` a pipeline may declare for `modelId`: {@link BEDROCK_BATCH_MINIMUM},
 * or the positive integer in {@link EMULATOR_MIN_RECORDS_VARIABLE} when it is set.
 *
 * @example batchMinimum('anthropic.claude-3-haiku-20240307-v1:0', {}) // 100
 */
export function batchMinimum(_modelId: string, env: Readonly<Record<string, string | undefined>>): number {
  const lowered = env[EMULATOR_MIN_RECORDS_VARIABLE];
  if (lowered !== undefined && /^[1-9]\d{0,6}$/.test(lowered)) return Number(lowered);
  return BEDROCK_BATCH_MINIMUM;
}

/** Context windows in tokens, by bare model id prefix; the first match wins. */
const CONTEXT_WINDOWS: ReadonlyArray<readonly [string, number]> = [
  ['anthropic.claude', 200_000],
  ['amazon.nova-micro', 128_000],
  ['amazon.nova-premier', 1_000_000],
  ['amazon.nova', 300_000],
  ['meta.llama3-8b-instruct', 8_192],
  ['meta.llama3-70b-instruct', 8_192],
  ['meta.llama3', 128_000],
  ['meta.llama4', 1_000_000],
  ['amazon.titan-embed-text-v2', 8_192],
];

/**
 * The model's context window in tokens (prompt and answer together), or `undefined` for a model this
 * product does not know (a Converse pipeline over another family): such rows are not checked.
 *
 * @example contextWindow('us.meta.llama3-8b-instruct-v1:0') // 8192
 */
export function contextWindow(modelId: string): number | undefined {
  const id = baseModelId(modelId);
  return CONTEXT_WINDOWS.find(([prefix]) => id.startsWith(prefix))?.[1];
}
