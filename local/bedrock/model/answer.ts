/**
 * The emulated model's answer text: deterministic (a hash of the request), plainly marked
 * `[emulated]`, and a valid JSON object when the prompt asks for JSON (filled from a JSON Schema
 * found in the prompt, when there is one).
 */
import { hash32, prng } from '../random';
import { type Prompt, tokens } from './prompt';

/** The answer and why it stopped. */
interface Answer {
  readonly text: string;
  readonly truncated: boolean;
}

type Schema = Record<string, unknown>;

const WORDS = (
  'the a record answer summary result input text value item note point detail case review ' +
  'clear short useful general main first second final likely typical notable relevant'
).split(' ');

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every balanced `{...}` span of `text` that parses as a JSON object, in order. */
function jsonObjects(text: string): Schema[] {
  const found: Schema[] = [];
  for (let start = text.indexOf('{'); start >= 0 && found.length < 20; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const char = text[i];
      if (inString) {
        if (char === '\\') i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{') depth++;
      else if (char === '}' && --depth === 0) {
        try {
          const value: unknown = JSON.parse(text.slice(start, i + 1));
          if (isObject(value)) found.push(value);
        } catch {}
        break;
      }
    }
  }
  return found;
}

/** The first JSON Schema in the text: an object with `properties`, or `type: "object"`. */
export function findSchema(text: string): Schema | undefined {
  return jsonObjects(text).find((value) => isObject(value.properties) || value.type === 'object');
}

function firstType(schema: Schema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((entry) => entry !== 'null') as string | undefined;
  if (typeof type === 'string') return type;
  if (isObject(schema.properties)) return 'object';
  if (isObject(schema.items)) return 'array';
  return undefined;
}

function fillString(schema: Schema, name: string, next: () => number): string {
  switch (schema.format) {
    case 'date':
      return '2026-01-01';
    case 'date-time':
      return '2026-01-01T00:00:00.000Z';
    case 'email':
      return 'emulated@example.com';
    case 'uri':
      return 'https://example.com/emulated';
  }
  let text = `[emulated] ${name} ${WORDS[Math.floor(next() * WORDS.length)]}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  while (text.length < min) text += ' x';
  return text.slice(0, max);
}

function fillNumber(schema: Schema, integer: boolean, next: () => number): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
  const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
  const value = min + next() * (max - min);
  return integer ? Math.min(max, Math.ceil(value)) : Math.round(value * 100) / 100;
}

/** A value that satisfies the common JSON Schema keywords of `schema`. */
export function fillSchema(schema: Schema, name: string, next: () => number, depth = 0): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[Math.floor(next() * schema.enum.length)];
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants) && isObject(variants[0])) return fillSchema(variants[0], name, next, depth);
  switch (firstType(schema)) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      if (depth > 6) return {};
      return Object.fromEntries(
        Object.entries(properties).map(([key, sub]) => [
          key,
          fillSchema(isObject(sub) ? sub : {}, key, next, depth + 1),
        ]),
      );
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = isObject(schema.items) ? schema.items : { type: 'string' };
      return Array.from({ length: count }, () => fillSchema(items, name, next, depth + 1));
    }
    case 'integer':
      return fillNumber(schema, true, next);
    case 'number':
      return fillNumber(schema, false, next);
    case 'boolean':
      return next() < 0.5;
    case 'null':
      return null;
    default:
      return fillString(schema, name, next);
  }
}

function sentence(wordCount: number, next: () => number): string {
  const words = Array.from({ length: wordCount }, () => WORDS[Math.floor(next() * WORDS.length)]);
  return `${words.join(' ')}.`;
}

/** The full answer text before any token budget. */
function answerText(prompt: Prompt, seed: number): string {
  const next = prng(seed);
  const asked = `${prompt.system}\n${prompt.user}`;
  const schema = findSchema(asked);
  if (schema !== undefined) return JSON.stringify(fillSchema(schema, 'value', next));
  if (/json/i.test(asked)) {
    return JSON.stringify({
      answer: `[emulated] ${sentence(6, next)}`,
      confidence: Math.round(next() * 100) / 100,
    });
  }
  const length = Math.min(60, 8 + Math.floor(tokens(prompt.user) / 8));
  return `[emulated] Deterministic reply ${hash32(asked).toString(36)}: ${sentence(length, next)}`;
}

/**
 * The answer for `prompt`, continuing a prefill and cut to the token budget.
 *
 * @example answer({ system: '', user: 'Reply in JSON', prefill: '', maxTokens: 100 }, 7).text
 */
export function answer(prompt: Prompt, seed: number): Answer {
  let text = answerText(prompt, seed);
  if (prompt.prefill !== '' && text.startsWith(prompt.prefill)) text = text.slice(prompt.prefill.length);
  const budget = prompt.maxTokens * 4;
  return text.length > budget ? { text: text.slice(0, budget), truncated: true } : { text, truncated: false };
}
