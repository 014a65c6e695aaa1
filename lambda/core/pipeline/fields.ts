/**
 * Readers of a pipeline file's fields: each checks one field, applies its default and throws
 * `InvalidPipelineError` naming the pipeline, the field and the value.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidPipelineError } from '../contract/errors';
import type { OutputSpec } from '../contract/types';
import type { BelowMinimumPolicy } from '../mode/mode';
import { PIPELINE_DEFAULTS } from './defaults';
import { compileSchema } from './json-output';

const OUTPUT_KEYS = ['format', 'schema'];

export type Raw = Record<string, unknown>;

export function fail(name: string, message: string): never {
  throw new InvalidPipelineError(`Pipeline "${name}": ${message}`);
}

export function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function str(raw: Raw, key: string, name: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    fail(name, `${key} must be a non-empty string, got ${show(value)}`);
  return value;
}

/** `sheet`: an Excel sheet name (1-31 characters, none of `: \\ / ? * [ ]`). */
export function sheetName(raw: Raw, name: string): string {
  const value = str(raw, 'sheet', name)!;
  if (value.length > 31 || /[:\\/?*[\]]/.test(value)) {
    fail(
      name,
      `sheet must be an Excel sheet name (at most 31 characters, none of : \\ / ? * [ ]), got ${show(value)}`,
    );
  }
  return value;
}

export function int(raw: Raw, key: string, name: string, min: number, max: number, fallback: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(name, `${key} must be an integer ${min}..${max}, got ${show(value)}`);
  }
  return value;
}

export function belowMinimum(raw: Raw, name: string): BelowMinimumPolicy {
  const value = raw.belowMinimum ?? PIPELINE_DEFAULTS.belowMinimum;
  if (value !== 'on-demand' && value !== 'fail')
    fail(name, `belowMinimum must be "on-demand" or "fail", got ${show(value)}`);
  return value;
}

export function retryRound(raw: Raw, name: string): boolean {
  const value = raw.retryRound ?? PIPELINE_DEFAULTS.retryRound;
  if (typeof value !== 'boolean') fail(name, `retryRound must be true or false, got ${show(value)}`);
  return value;
}

/** `dedupe`: the pipeline's choice, else on exactly when `temperature` is 0 (answers then repeat). */
export function dedupe(raw: Raw, name: string, temperature: number): boolean {
  const value = raw.dedupe ?? temperature === 0;
  if (typeof value !== 'boolean') fail(name, `dedupe must be true or false, got ${show(value)}`);
  return value;
}

export function output(raw: Raw, name: string): OutputSpec {
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

export function promptTemplate(raw: Raw, name: string, baseDir: string): string {
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
