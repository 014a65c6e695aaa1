/**
 * Which model ids a CreateModelInvocationJob may name, and each one's limits: the built-in table plus the
 * settings file's `models` entries. An id in neither is refused with a ValidationException that says how
 * to add it, so a model newer than the table is never refused only because the emulator is behind.
 */
import type { ModelSettings } from '../../faults';
import { ApiError } from '../api-error';
import { parseModelId } from './id';
import { BATCH_MODELS, type BatchModel, DEFAULT_LIMITS, type ModelShape } from './table';

/** The body shape of a model the table does not list, from its provider prefix. */
export function guessShape(baseId: string): ModelShape {
  if (baseId.startsWith('anthropic.claude')) return 'claude';
  if (baseId.startsWith('amazon.nova')) return 'nova';
  if (baseId.startsWith('meta.llama')) return 'llama';
  if (baseId.startsWith('amazon.titan-embed-text-v2')) return 'titan';
  return 'generic';
}

/** Limits of a model the emulator cannot look into (an application inference profile, a custom model). */
function opaqueModel(modelId: string): BatchModel {
  return {
    shape: guessShape(modelId),
    contextTokens: Number.POSITIVE_INFINITY,
    ...DEFAULT_LIMITS,
    unconfirmed: ['id', 'contextTokens'],
  };
}

const howToAdd = (id: string) =>
  `If Amazon Bedrock supports it for batch inference, add it to the "models" field of the emulator's settings file (--faults), for example {"models": {"${id}": {"contextTokens": 200000}}}; see docs/emulator.md.`;

/** The built-in table with the settings file's additions and overrides. */
export class ModelCatalog {
  private readonly models = new Map<string, BatchModel>(Object.entries(BATCH_MODELS));

  constructor(extra: Readonly<Record<string, ModelSettings>> = {}) {
    for (const [id, settings] of Object.entries(extra)) {
      const parsed = parseModelId(id);
      const opaque = parsed.kind === 'application-inference-profile' || parsed.kind === 'custom-model';
      const key = opaque ? id : parsed.base;
      const known = this.models.get(key);
      const base: BatchModel = known ?? {
        shape: guessShape(parsed.base),
        contextTokens: Number.POSITIVE_INFINITY,
        ...DEFAULT_LIMITS,
        unconfirmed: ['id', 'contextTokens'],
      };
      this.models.set(key, { ...base, ...settings, unconfirmed: base.unconfirmed });
    }
  }

  /** The entry for a model id (any accepted form), or `undefined` when neither table lists it. */
  find(modelId: string): BatchModel | undefined {
    const exact = this.models.get(modelId);
    if (exact !== undefined) return exact;
    const parsed = parseModelId(modelId);
    return this.models.get(parsed.base);
  }

  /**
   * The model a batch job may run on.
   *
   * @throws ApiError ValidationException for an id that names no batch-capable model, or a
   * profile-only model named without its inference profile
   */
  forBatchJob(modelId: string): BatchModel {
    const parsed = parseModelId(modelId);
    const model = this.find(modelId);
    if (model === undefined) {
      if (parsed.kind === 'application-inference-profile' || parsed.kind === 'custom-model') {
        return opaqueModel(parsed.base);
      }
      throw new ApiError(
        'ValidationException',
        `The provided model identifier is invalid or the model does not support batch inference: ${modelId}. The Bedrock emulator knows no batch-capable model ${parsed.base}. ${howToAdd(modelId)}`,
      );
    }
    if (model.profileOnly === true && parsed.kind === 'foundation-model') {
      throw new ApiError(
        'ValidationException',
        `The model ${parsed.base} supports batch inference only through a cross-Region inference profile: use an id such as us.${parsed.base}.`,
      );
    }
    return model;
  }
}
