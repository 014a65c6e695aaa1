/**
 * Reading a batch job's `modelId` the emulator's own way: a foundation-model id, a cross-Region
 * inference-profile id (`us.`, `eu.`, `apac.`, `global.`, ... before the model id), or an ARN of either.
 */

/** Geography prefixes of system-defined inference profiles. */
const PROFILE_PREFIXES = ['us', 'eu', 'apac', 'global', 'us-gov', 'ca', 'jp', 'au'] as const;

/** What a model id names. */
interface ParsedModelId {
  /** The foundation-model id without ARN or geography prefix, e.g. `anthropic.claude-3-haiku-20240307-v1:0`. */
  readonly base: string;
  /** The geography prefix of an inference profile (`us`, `global`, ...), when there is one. */
  readonly profile?: string;
  /**
   * `foundation-model` for a model id or model ARN, `inference-profile` for a system-defined profile;
   * `application-inference-profile` and `custom-model` ARNs name account resources the emulator cannot see.
   */
  readonly kind: 'foundation-model' | 'inference-profile' | 'application-inference-profile' | 'custom-model';
}

const PROFILE = new RegExp(`^(${PROFILE_PREFIXES.join('|')})\\.(.+)$`);

/**
 * Splits a model id into its foundation-model id and profile prefix.
 *
 * @example parseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0')
 * // { base: 'amazon.nova-lite-v1:0', profile: 'us', kind: 'inference-profile' }
 */
export function parseModelId(modelId: string): ParsedModelId {
  let id = modelId;
  if (modelId.startsWith('arn:')) {
    const resource = modelId.split(':').slice(5).join(':');
    const slash = resource.indexOf('/');
    const type = resource.slice(0, slash);
    id = resource.slice(slash + 1);
    if (type === 'application-inference-profile') return { base: id, kind: type };
    if (type === 'custom-model') return { base: id, kind: type };
  }
  const profile = PROFILE.exec(id);
  return profile === null
    ? { base: id, kind: 'foundation-model' }
    : { base: profile[2]!, profile: profile[1]!, kind: 'inference-profile' };
}

/** The foundation-model id a model id runs on (jobs of one base model share its concurrency quota). */
export function baseModelId(modelId: string): string {
  return parseModelId(modelId).base;
}
