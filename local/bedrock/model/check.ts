/** Per-record request checks, per family: the first problem found becomes the record's 400 error. */

type Body = Record<string, unknown>;

/** The keys each body shape accepts; any other key is "Extra inputs are not permitted". */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  claude: [
    'anthropic_version',
    'anthropic_beta',
    'max_tokens',
    'messages',
    'system',
    'temperature',
    'top_p',
    'top_k',
    'stop_sequences',
    'tools',
    'tool_choice',
    'metadata',
    'thinking',
  ],
  nova: ['schemaVersion', 'messages', 'system', 'inferenceConfig', 'toolConfig'],
  converse: [
    'messages',
    'system',
    'inferenceConfig',
    'additionalModelRequestFields',
    'additionalModelResponseFieldPaths',
    'guardrailConfig',
    'performanceConfig',
    'promptVariables',
    'requestMetadata',
    'outputConfig',
  ],
  llama: ['prompt', 'temperature', 'top_p', 'max_gen_len', 'images'],
  titan: ['inputText', 'dimensions', 'normalize', 'embeddingTypes'],
};

/** Body shapes the emulated model speaks. */
export type Shape = keyof typeof ALLOWED | 'generic';

const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function extraKey(body: Body, shape: Shape): string | undefined {
  const allowed = ALLOWED[shape];
  return allowed === undefined ? undefined : Object.keys(body).find((key) => !allowed.includes(key));
}

function checkMessages(body: Body): string | undefined {
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return 'messages: Input should be a non-empty list';
  }
  for (const [index, message] of body.messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    }
    if (message.content === undefined) return `messages.${index}.content: Field required`;
  }
  if ((body.messages[0] as Body).role !== 'user')
    return 'messages: the first message must use the "user" role';
  return undefined;
}

function checkClaude(body: Body): string | undefined {
  if (body.anthropic_version === undefined) return 'anthropic_version: Field required';
  if (body.anthropic_version !== 'bedrock-2023-05-31') return 'anthropic_version: invalid anthropic version';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return 'max_tokens: Input should be a valid integer greater than 0';
  }
  return checkMessages(body);
}

function checkTitan(body: Body): string | undefined {
  if (typeof body.inputText !== 'string' || body.inputText === '') {
    return 'Malformed input request: #: required key [inputText] not found or empty';
  }
  if (body.dimensions !== undefined && ![256, 512, 1024].includes(body.dimensions as number)) {
    return `Malformed input request: #/dimensions: ${JSON.stringify(body.dimensions)} is not a valid enum value`;
  }
  if (body.normalize !== undefined && typeof body.normalize !== 'boolean') {
    return 'Malformed input request: #/normalize: expected type: Boolean';
  }
  return undefined;
}

/**
 * The error message for a body that the model would reject, or `undefined` for a valid one.
 *
 * @example checkBody({ messages: [] }, 'claude') // 'anthropic_version: Field required'
 */
export function checkBody(body: unknown, shape: Shape): string | undefined {
  if (!isObject(body)) return 'Malformed input request: modelInput must be a JSON object';
  const extra = extraKey(body, shape);
  if (extra !== undefined) {
    return shape === 'claude' || shape === 'converse'
      ? `${extra}: Extra inputs are not permitted`
      : `Malformed input request: #: extraneous key [${extra}] is not permitted, please reformat your input and try again.`;
  }
  switch (shape) {
    case 'claude':
      return checkClaude(body);
    case 'nova':
    case 'converse':
      return checkMessages(body);
    case 'llama':
      return typeof body.prompt === 'string'
        ? undefined
        : 'Malformed input request: #: required key [prompt] not found';
    case 'titan':
      return checkTitan(body);
    default:
      return undefined;
  }
}
