/**
 * Which request/response body a model speaks, from its id: a foundation-model id, an inference-profile
 * id (`us.`, `eu.`, `apac.`, `global.`, ... prefixes), or an ARN of either.
 */

/** The model families this product builds bodies for with the InvokeModel type. */
export type ModelFamily = 'anthropic-claude' | 'amazon-nova' | 'meta-llama' | 'amazon-titan-embed-text';

const GEO_PREFIX = /^(us|eu|apac|ap|ca|jp|au|us-gov|global)\./;

/**
 * The bare foundation-model id: ARN prefix and geography prefix removed.
 *
 * @example baseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0')
 * // 'amazon.nova-lite-v1:0'
 */
export function baseModelId(modelId: string): string {
  const slash = modelId.startsWith('arn:') ? modelId.lastIndexOf('/') : -1;
  const id = slash >= 0 ? modelId.slice(slash + 1) : modelId;
  return id.replace(GEO_PREFIX, '');
}

/** The family of a model id, or `undefined` when this product has no InvokeModel adapter for it. */
export function modelFamily(modelId: string): ModelFamily | undefined {
  const id = baseModelId(modelId);
  if (id.startsWith('anthropic.claude')) return 'anthropic-claude';
  if (id.startsWith('amazon.nova')) return 'amazon-nova';
  if (id.startsWith('meta.llama3') || id.startsWith('meta.llama4')) return 'meta-llama';
  if (id.startsWith('amazon.titan-embed-text-v2')) return 'amazon-titan-embed-text';
  return undefined;
}

/** True for families whose output is an embedding vector rather than text. */
export function isEmbeddingFamily(family: ModelFamily | undefined): boolean {
  return family === 'amazon-titan-embed-text';
}
