/** What a request body asks: its text, the requested output budget, and any assistant prefill. */

/** The readable parts of a text request, whatever the family's body shape. */
export interface Prompt {
  readonly system: string;
  readonly user: string;
  /** Text of a trailing assistant turn (the answer continues it). */
  readonly prefill: string;
  readonly maxTokens: number;
}

type Body = Record<string, unknown>;

const DEFAULT_MAX_TOKENS = 512;

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) =>
      typeof block === 'object' && block !== null && 'text' in block ? String(block.text) : '',
    )
    .filter((text) => text !== '')
    .join('\n');
}

function fromMessages(body: Body, system: string, maxTokens: unknown): Prompt {
  const messages = Array.isArray(body.messages) ? (body.messages as Body[]) : [];
  const last = messages[messages.length - 1];
  const trailing = last?.role === 'assistant';
  const turns = trailing ? messages.slice(0, -1) : messages;
  return {
    system,
    user: turns.map((message) => blockText(message.content)).join('\n'),
    prefill: trailing ? blockText(last?.content) : '',
    maxTokens: typeof maxTokens === 'number' && maxTokens > 0 ? maxTokens : DEFAULT_MAX_TOKENS,
  };
}

/** A Claude Messages body. */
export function claudePrompt(body: Body): Prompt {
  return fromMessages(body, blockText(body.system), body.max_tokens);
}

/** A Nova InvokeModel body or a Converse body (`system: [{text}]`, `inferenceConfig`). */
export function messagesPrompt(body: Body): Prompt {
  const config = (typeof body.inferenceConfig === 'object' && body.inferenceConfig) as Body | false;
  const maxTokens = config ? (config.maxTokens ?? config.max_new_tokens) : undefined;
  return fromMessages(body, blockText(body.system), maxTokens);
}

/** A Llama (or other prompt-string) body. */
export function promptStringPrompt(body: Body): Prompt {
  return {
    system: '',
    user: typeof body.prompt === 'string' ? body.prompt : '',
    prefill: '',
    maxTokens:
      typeof body.max_gen_len === 'number'
        ? body.max_gen_len
        : typeof body.max_tokens === 'number'
          ? body.max_tokens
          : DEFAULT_MAX_TOKENS,
  };
}

/** Token estimate: about four characters per token, at least one. */
export function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Token estimate for the context-window check: one token per four bytes of UTF-8, at least one. Close
 * for English text; low for text of multi-byte characters (Chinese, Japanese: about one token each), so a
 * record refused for its length is surely too long, and one just under the limit may still be on AWS.
 */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / 4));
}
