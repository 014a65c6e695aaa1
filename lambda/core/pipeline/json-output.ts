/**
 * json mode: read the JSON object out of a model's text answer and check it against the pipeline's schema.
 * Models wrap JSON in code fences or put prose around it; the first complete object that parses wins.
 */
import { createRequire } from 'node:module';
import type Ajv from 'ajv';
import { InvalidPipelineError } from '../contract/errors';

/** A JSON object, as read from a model's answer. */
export type JsonObject = Record<string, unknown>;

/** The result of reading a JSON object out of text. */
export type ExtractResult = { ok: true; value: JsonObject; json: string } | { ok: false; reason: string };

const FENCE = /```[a-zA-Z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/g;
/** Candidate objects tried at most; bounds the work on an adversarial answer. */
const MAX_CANDIDATES = 20;

/**
 * The JSON object in `text`: the whole text, else a fenced block, else the first balanced `{...}` that
 * parses. `json` is the object re-serialised compactly (one line in a CSV cell).
 *
 * @example extractJsonObject('Sure!\n```json\n{"score": 4}\n```') // { ok: true, value: { score: 4 }, ... }
 */
export function extractJsonObject(text: string): ExtractResult {
  const whole = tryObject(text.trim());
  if (whole) return whole;
  for (const match of text.matchAll(FENCE)) {
    const fenced = tryObject(match[1]!.trim()) ?? firstBalancedObject(match[1]!);
    if (fenced) return fenced;
  }
  const embedded = firstBalancedObject(text);
  if (embedded) return embedded;
  return {
    ok: false,
    reason: text.includes('{')
      ? 'the answer has no complete, valid JSON object'
      : 'the answer has no JSON object',
  };
}

function tryObject(candidate: string): ExtractResult | undefined {
  if (!candidate.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(candidate);
    return isObject(value) ? { ok: true, value, json: JSON.stringify(value) } : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstBalancedObject(text: string): ExtractResult | undefined {
  let start = text.indexOf('{');
  for (let tries = 0; start >= 0 && tries < MAX_CANDIDATES; tries++) {
    const end = matchingBrace(text, start);
    if (end < 0) return undefined;
    const value = tryObject(text.slice(start, end + 1));
    if (value) return value;
    start = text.indexOf('{', start + 1);
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start` (braces inside strings ignored), or -1. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}

/** A compiled schema check: `undefined` when the value conforms, else a one-line reason. */
export type SchemaCheck = (value: JsonObject) => string | undefined;

/**
 * Compiles the pipeline's JSON Schema once per run (draft 2020-12 when its `$schema` says so, else
 * draft-07). `format` keywords are not checked (no format plugin is bundled).
 *
 * @throws InvalidPipelineError when the schema itself does not compile.
 */
export function compileSchema(schema: Record<string, unknown>): SchemaCheck {
  const options = { allErrors: false, strict: false, validateFormats: false, logger: false } as const;
  const is2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
  const ajv = new (ajvClass(is2020))(options);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new InvalidPipelineError(`output.schema is not a valid JSON Schema: ${(error as Error).message}`);
  }
  return (value) => {
    if (validate(value)) return undefined;
    const first = validate.errors?.[0];
    if (!first) return 'the answer does not match the schema';
    const where = first.instancePath === '' ? 'the answer' : first.instancePath;
    return `${where} ${first.message ?? 'does not match the schema'}`;
  };
}

/**
 * ajv's class for draft 2020-12 or draft-07, loaded at the first schema: a run whose pipeline has none
 * (every Prepare without json mode) does not load its modules (40-80 ms of start-up). The compiled
 * CLI and the Lambda bundles define `require` in a banner (esbuild bundles these literal calls into the
 * functions; the CLI finds ajv in node_modules); modules run from source with tsx have none and make one.
 */
function ajvClass(is2020: boolean): typeof Ajv {
  type Exported = { default: typeof Ajv };
  if (typeof require === 'function') {
    return ((is2020 ? require('ajv/dist/2020.js') : require('ajv')) as Exported).default;
  }
  const load = createRequire(import.meta.url);
  return ((is2020 ? load('ajv/dist/2020.js') : load('ajv')) as Exported).default;
}

/** The top-level property names a schema declares, in order (the json-mode result columns). */
export function schemaFields(schema: Record<string, unknown> | undefined): string[] {
  const properties = schema?.properties;
  return isObject(properties) ? Object.keys(properties) : [];
}
