/**
 * Pipeline definitions: one loader and validator for `cdk synth` (every file in `pipelines/`) and for
 * the Prepare step (one file by name). Defaults and rules are documented in docs/pipelines.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidPipelineError, UnknownPipelineError } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';
import { batchMinimum } from '../models/limits';
import { checkModel, checkWindow, jobBytes } from './checks';
import { DEADLINE_MAX_HOURS, PIPELINE_DEFAULTS } from './defaults';
import {
  belowMinimum,
  dedupe,
  fail,
  int,
  output,
  promptTemplate,
  type Raw,
  retryRound,
  sheetName,
  show,
  str,
} from './fields';
import { templateColumns } from './prompt';

/** A pipeline name: the file's base name, also the inbox folder and part of S3 keys. */
export const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

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

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,2047}$/;

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
