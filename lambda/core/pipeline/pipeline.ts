/**
 * Pipeline definitions: one loader and validator for `cdk synth` (every file in `pipelines/`) and for
 * the Prepare step (one file by name). Defaults and rules are documented in docs/pipelines.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InvalidPipelineError, UnknownPipelineError, UnsupportedModelError } from '../contract/errors';
import type { InvocationType, OutputSpec, PipelineDefinition } from '../contract/types';
import { type BelowMinimumPolicy, DEFAULT_BELOW_MINIMUM } from '../mode/mode';
import { isEmbeddingFamily, modelFamily } from '../models/family';
import { batchMinimum, contextWindow } from '../models/limits';
import { MAX_FILE_BYTES, MAX_RECORD_BYTES } from '../prepare/limits';
import { compileSchema } from './json-output';
import { templateColumns } from './prompt';

/** A pipeline name: the file's base name, also the inbox folder and part of S3 keys. */
export const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** Defaults applied to optional fields (see docs/pipelines.md). */
export const PIPELINE_DEFAULTS = {
  maxTokens: 1024,
  temperature: 0,
  invocationType: 'InvokeModel' as InvocationType,
  output: { format: 'text' } as OutputSpec,
  minRecordsPerJob: 100,
  maxRecordsPerJob: 50_000,
  /** Bedrock's job size limit is 5 GB for most models; decimal, to stay below it. */
  maxJobBytes: 5_000_000_000,
  timeoutHours: 72,
  belowMinimum: DEFAULT_BELOW_MINIMUM,
  retryRound: true,
} as const;

const ALLOWED_KEYS = [
  'modelId',
  'promptTemplate',
  'promptFile',
  'system',
  'maxTokens',
  'temperature',
  'idColumn',
  'sheet',
  'invocationType',
  'output',
  'minRecordsPerJob',
  'maxRecordsPerJob',
  'maxJobBytes',
  'timeoutHours',
  'belowMinimum',
  'retryRound',
  'deadlineHours',
  'dedupe',
] as const;

/** The longest `deadlineHours`: a week, the longest a batch job may run (`timeoutHours` 168). */
export const DEADLINE_MAX_HOURS = 168;

const OUTPUT_KEYS = ['format', 'schema'];
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,2047}$/;

type Raw = Record<string, unknown>;

function fail(name: string, message: string): never {
  throw new InvalidPipelineError(`Pipeline "${name}": ${message}`);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function str(raw: Raw, key: string, name: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    fail(name, `${key} must be a non-empty string, got ${show(value)}`);
  return value;
}

/** `sheet`: an Excel sheet name (1-31 characters, none of `: \\ / ? * [ ]`). */
function sheetName(raw: Raw, name: string): string {
  const value = str(raw, 'sheet', name)!;
  if (value.length > 31 || /[:\\/?*[\]]/.test(value)) {
    fail(
      name,
      `sheet must be an Excel sheet name (at most 31 characters, none of : \\ / ? * [ ]), got ${show(value)}`,
    );
  }
  return value;
}

function int(raw: Raw, key: string, name: string, min: number, max: number, fallback: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(name, `${key} must be an integer ${min}..${max}, got ${show(value)}`);
  }
  return value;
}

function belowMinimum(raw: Raw, name: string): BelowMinimumPolicy {
  const value = raw.belowMinimum ?? PIPELINE_DEFAULTS.belowMinimum;
  if (value !== 'on-demand' && value !== 'fail')
    fail(name, `belowMinimum must be "on-demand" or "fail", got ${show(value)}`);
  return value;
}

function retryRound(raw: Raw, name: string): boolean {
  const value = raw.retryRound ?? PIPELINE_DEFAULTS.retryRound;
  if (typeof value !== 'boolean') fail(name, `retryRound must be true or false, got ${show(value)}`);
  return value;
}

/** `dedupe`: the pipeline's choice, else on exactly when `temperature` is 0 (answers then repeat). */
function dedupe(raw: Raw, name: string, temperature: number): boolean {
  const value = raw.dedupe ?? temperature === 0;
  if (typeof value !== 'boolean') fail(name, `dedupe must be true or false, got ${show(value)}`);
  return value;
}

function output(raw: Raw, name: string): OutputSpec {
  const value = raw.output;
  if (value === undefined) return PIPELINE_DEFAULTS.output;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(name, `output must be an object like {"format": "json"}, got ${show(value)}`);
  }
  const spec = value as Raw;
  for (const key of Object.keys(spec)) {
    if (!OUTPUT_KEYS.includes(key))
      fail(name, `unknown key "output.${key}"; allowed: ${OUTPUT_KEYS.join(', ')}`);
  }
  const format = spec.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    fail(name, `output.format must be "text" or "json", got ${show(format)}`);
  const schema = spec.schema;
  if (schema !== undefined) {
    if (format !== 'json') fail(name, 'output.schema needs output.format "json"');
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      fail(name, `output.schema must be a JSON Schema object, got ${show(schema)}`);
    }
    try {
      compileSchema(schema as Record<string, unknown>);
    } catch (error) {
      fail(name, (error as Error).message);
    }
    return { format, schema: schema as Record<string, unknown> };
  }
  return { format };
}

function promptTemplate(raw: Raw, name: string, baseDir: string): string {
  const inline = raw.promptTemplate;
  const file = raw.promptFile;
  if (inline !== undefined && file !== undefined) fail(name, 'give promptTemplate or promptFile, not both');
  if (inline === undefined && file === undefined) fail(name, 'promptTemplate or promptFile is required');
  if (inline !== undefined) {
    if (typeof inline !== 'string' || inline === '') {
      fail(name, `promptTemplate must be a non-empty string, got ${show(inline)}`);
    }
    return inline;
  }
  if (typeof file !== 'string' || file === '')
    fail(name, `promptFile must be a non-empty string, got ${show(file)}`);
  if (isAbsolute(file) || /^[A-Za-z]:/.test(file) || file.split(/[\\/]/).includes('..')) {
    fail(
      name,
      `promptFile must name a file inside the pipelines folder (only that folder is deployed), without ".." or an absolute path, got ${show(file)}`,
    );
  }
  const path = resolve(baseDir, file);
  if (!existsSync(path)) fail(name, `promptFile ${show(file)} does not exist (looked for ${path})`);
  if (!statSync(path).isFile()) fail(name, `promptFile ${show(file)} is a folder, not a file`);
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') fail(name, `promptFile ${show(file)} is empty`);
  return text;
}

/**
 * Validates a parsed pipeline file and applies the defaults. Pure except for reading `promptFile`
 * (relative to `baseDir`, and inside it). `env` is read only for the emulator's lowered batch minimum
 * (`BEDROCK_BATCH_EMULATOR_MIN_RECORDS`, see models/limits.ts). Throws `InvalidPipelineError` naming
 * the field and the value, or `UnsupportedModelError` for a model with no InvokeModel adapter.
 *
 * @example parsePipeline({ modelId: 'amazon.nova-lite-v1:0', promptTemplate: '{{Text}}' }, 'demo', '.')
 */
export function parsePipeline(
  json: unknown,
  name: string,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PipelineDefinition {
  if (!PIPELINE_NAME.test(name)) {
    fail(name, 'the name (file name without .json) must match [A-Za-z0-9][A-Za-z0-9_-]{0,62}');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail(name, 'the file must hold a JSON object');
  const raw = json as Raw;
  for (const key of Object.keys(raw)) {
    if (!(ALLOWED_KEYS as readonly string[]).includes(key)) {
      fail(name, `unknown key "${key}"; allowed keys: ${ALLOWED_KEYS.join(', ')}`);
    }
  }
  const modelId = str(raw, 'modelId', name) ?? fail(name, 'modelId is required');
  if (!MODEL_ID.test(modelId)) fail(name, `modelId is not a Bedrock model id or ARN, got ${show(modelId)}`);
  const template = promptTemplate(raw, name, baseDir);
  if (templateColumns(template).length === 0) {
    fail(name, 'the prompt template uses no column: add at least one {{Column name}}');
  }
  const invocationType = raw.invocationType ?? PIPELINE_DEFAULTS.invocationType;
  if (invocationType !== 'InvokeModel' && invocationType !== 'Converse') {
    fail(name, `invocationType must be "InvokeModel" or "Converse", got ${show(invocationType)}`);
  }
  const temperature = raw.temperature ?? PIPELINE_DEFAULTS.temperature;
  if (
    typeof temperature !== 'number' ||
    !Number.isFinite(temperature) ||
    temperature < 0 ||
    temperature > 1
  ) {
    fail(name, `temperature must be a number 0..1, got ${show(temperature)}`);
  }
  const minRecordsPerJob = int(
    raw,
    'minRecordsPerJob',
    name,
    1,
    1_000_000,
    PIPELINE_DEFAULTS.minRecordsPerJob,
  );
  const maxRecordsPerJob = int(
    raw,
    'maxRecordsPerJob',
    name,
    2,
    10_000_000,
    PIPELINE_DEFAULTS.maxRecordsPerJob,
  );
  const modelMinimum = batchMinimum(modelId, env);
  if (minRecordsPerJob < modelMinimum) {
    fail(
      name,
      `minRecordsPerJob ${minRecordsPerJob} is below Bedrock's batch minimum of ${modelMinimum} records per job for ${modelId}; Bedrock would refuse every job`,
    );
  }
  if (maxRecordsPerJob < 2 * minRecordsPerJob) {
    fail(
      name,
      `maxRecordsPerJob must be at least twice minRecordsPerJob (so any run above the minimum splits into valid jobs), got ${maxRecordsPerJob} with minRecordsPerJob ${minRecordsPerJob}`,
    );
  }
  const definition: PipelineDefinition = {
    name,
    modelId,
    promptTemplate: template,
    ...(raw.system !== undefined ? { system: str(raw, 'system', name)! } : {}),
    maxTokens: int(raw, 'maxTokens', name, 1, 1_000_000, PIPELINE_DEFAULTS.maxTokens),
    temperature,
    ...(raw.idColumn !== undefined ? { idColumn: str(raw, 'idColumn', name)! } : {}),
    ...(raw.sheet !== undefined ? { sheet: sheetName(raw, name) } : {}),
    invocationType,
    output: output(raw, name),
    minRecordsPerJob,
    maxRecordsPerJob,
    maxJobBytes: jobBytes(raw, name, minRecordsPerJob),
    timeoutHours: int(raw, 'timeoutHours', name, 24, 168, PIPELINE_DEFAULTS.timeoutHours),
    belowMinimum: belowMinimum(raw, name),
    retryRound: retryRound(raw, name),
    ...(raw.deadlineHours !== undefined
      ? { deadlineHours: int(raw, 'deadlineHours', name, 1, DEADLINE_MAX_HOURS, 1) }
      : {}),
    dedupe: dedupe(raw, name, temperature),
  };
  checkModel(definition);
  checkWindow(definition);
  return definition;
}

/**
 * `maxJobBytes`, checked so that no job is ever cut below the minimum for bytes. With
 * `min(maxJobBytes, MAX_FILE_BYTES) >= 2 × minRecordsPerJob × MAX_RECORD_BYTES`, a shard closed for bytes
 * already holds more than `2 × min - 1` records of at most {@link MAX_RECORD_BYTES} each, and at the end
 * an open shard below the minimum plus the `min` held-back records always fit in one job (see
 * prepare/shards.ts): the same reasoning as `maxRecordsPerJob >= 2 × minRecordsPerJob`.
 */
function jobBytes(raw: Raw, name: string, minRecords: number): number {
  const value = int(raw, 'maxJobBytes', name, 1 << 20, 100_000_000_000, PIPELINE_DEFAULTS.maxJobBytes);
  const needed = 2 * minRecords * MAX_RECORD_BYTES;
  if (needed > MAX_FILE_BYTES) {
    fail(
      name,
      `minRecordsPerJob ${minRecords} cannot be met for records of up to ${MAX_RECORD_BYTES} bytes within Bedrock's ${MAX_FILE_BYTES}-byte input file; use at most ${Math.floor(MAX_FILE_BYTES / (2 * MAX_RECORD_BYTES))}`,
    );
  }
  if (value < needed) {
    fail(
      name,
      `maxJobBytes must be at least 2 × minRecordsPerJob × ${MAX_RECORD_BYTES} (the largest record) = ${needed}, so no job is cut below the minimum for bytes; got maxJobBytes ${value} with minRecordsPerJob ${minRecords}`,
    );
  }
  return value;
}

/** `maxTokens` alone must leave room for a prompt in the model's context window. */
function checkWindow(p: PipelineDefinition): void {
  const window = contextWindow(p.modelId);
  if (window === undefined || isEmbeddingFamily(modelFamily(p.modelId))) return;
  if (p.maxTokens >= window) {
    fail(
      p.name,
      `maxTokens ${p.maxTokens} leaves no room for a prompt in the ${window}-token context window of ${p.modelId}`,
    );
  }
}

function checkModel(p: PipelineDefinition): void {
  const family = modelFamily(p.modelId);
  if (p.invocationType === 'InvokeModel' && family === undefined) {
    throw new UnsupportedModelError(
      `Pipeline "${p.name}": no InvokeModel request body is known for model ${show(p.modelId)}; ` +
        'add "invocationType": "Converse" to the pipeline to use the Converse format, which fits any text model.',
    );
  }
  if (isEmbeddingFamily(family)) {
    if (p.invocationType === 'Converse')
      fail(p.name, `${p.modelId} is an embedding model; Converse is for text models`);
    if (p.output.format === 'json')
      fail(p.name, `${p.modelId} is an embedding model; output.format must be "text"`);
    if (p.system !== undefined) fail(p.name, `${p.modelId} is an embedding model; it takes no system prompt`);
  }
}

/**
 * Reads and validates one pipeline file; its name is the file's base name without `.json`.
 *
 * @example loadPipeline('pipelines/qa-auditor.json').modelId
 */
export function loadPipeline(file: string): PipelineDefinition {
  const name = basename(file).replace(/\.json$/i, '');
  if (!existsSync(file)) {
    const dir = dirname(file);
    if (!file.toLowerCase().endsWith('.json'))
      throw new InvalidPipelineError(`Pipeline file ${file} does not exist.`);
    const available = existsSync(dir) ? pipelineNames(dir) : [];
    throw new UnknownPipelineError(
      `No pipeline named "${name}" (looked for ${file}). Available pipelines: ${available.length > 0 ? available.join(', ') : 'none'}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidPipelineError(
      `Pipeline "${name}": ${file} is not valid JSON (${(error as Error).message})`,
    );
  }
  return parsePipeline(json, name, dirname(file));
}

function pipelineNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.json'))
    .map((f) => f.replace(/\.json$/i, ''))
    .sort();
}

/**
 * Loads every `*.json` in `dir` (sorted by name). Any invalid file throws, so `cdk synth` fails on it.
 *
 * @example loadPipelinesDir('pipelines').map((p) => p.name)
 */
export function loadPipelinesDir(dir: string): PipelineDefinition[] {
  return pipelineNames(dir).map((name) => loadPipeline(join(dir, `${name}.json`)));
}
