/**
 * Compiles dist/ (`scripts/build.mjs`, without declarations): the tests that run the `bedrock-batch`
 * command or import the package by its name run the compiled output, so it must be built from the sources
 * under test. Then builds the end-to-end pipelines' bundled assemblies (the whole folder, and `shards`
 * alone as the CLI stages it) once, before the test files start in parallel: each would otherwise synthesize and bundle the same functions at the same time on a cold cache. The test
 * environment (`env` in vitest.config.ts) applies here too, since synthesis validates the pipelines.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadAssembly } from '../local/runner/assembly';
import { E2E_PIPELINES, soloE2ePipelines } from './helpers/local-stack';

export default async function setup(project: TestProject): Promise<void> {
  Object.assign(process.env, project.config.env);
  const script = join(import.meta.dirname, '..', 'scripts', 'build.mjs');
  const build = spawnSync(process.execPath, [script, '--quiet'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build.mjs failed: ${build.stderr}`);
  await loadAssembly(E2E_PIPELINES);
  await loadAssembly(soloE2ePipelines('shards'));
}
