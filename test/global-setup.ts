/**
 * Builds the end-to-end pipelines' bundled assemblies (the whole folder, and `shards` alone as the CLI
 * stages it) once, before the test files start in parallel: each
 * would otherwise synthesize and bundle the same functions at the same time on a cold cache. The test
 * environment (`env` in vitest.config.ts) applies here too, since synthesis validates the pipelines.
 */
import type { TestProject } from 'vitest/node';
import { loadAssembly } from '../local/runner/assembly';
import { E2E_PIPELINES, soloE2ePipelines } from './helpers/local-stack';

export default async function setup(project: TestProject): Promise<void> {
  Object.assign(process.env, project.config.env);
  await loadAssembly(E2E_PIPELINES);
  await loadAssembly(soloE2ePipelines('shards'));
}
