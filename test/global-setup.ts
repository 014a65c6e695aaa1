/**
 * Compiles dist/ (`scripts/build.mjs`, without declarations) unless dist/build-info.json says it was built
 * from the sources as they are: the tests that run the `bedrock-batch` command, import the package by its
 * name or run the Lambda bundles run the compiled output, so it must be built from the sources under test.
 * Then synthesizes the end-to-end pipelines' assemblies (the whole folder, and `shards` alone as the CLI
 * stages it) once, before the test files start in parallel: each would otherwise synthesize the same
 * assembly at the same time on a cold cache. The test environment (`env` in vitest.config.ts) applies here
 * too, since synthesis validates the pipelines. Vitest calls the global setup for the root and for each
 * project (a project's `globalSetup: []` does not override the inherited one), so the work is done on the
 * first call only. It also makes the folder of the test processes' warm Lambda environments and of the
 * construct tests' cloud assemblies (test/helpers/synth.ts), removed after the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { BuildInfo } from '../local/runner/fingerprint';
import { POOL_DIR_VARIABLE } from './helpers/warm-parts';

/** Set once per vitest process: every project (vitest.config.ts) runs the global setup, the work is done once. */
const SETUP_DONE = Symbol.for('bedrock-batch-pipeline.test-global-setup');

export default async function setup(project: TestProject): Promise<() => void> {
  Object.assign(process.env, project.config.env);
  // The test processes' warm Lambda environments keep their /tmp here (test/helpers/warm-parts.ts): vitest
  // ends those processes without an exit event, so this process removes the folder after the run.
  process.env[POOL_DIR_VARIABLE] ??= mkdtempSync(join(tmpdir(), 'bedrock-batch-test-pool-'));
  const poolDir = process.env[POOL_DIR_VARIABLE];
  const state = globalThis as { [SETUP_DONE]?: Promise<void> };
  state[SETUP_DONE] ??= buildAndSynthesize();
  await state[SETUP_DONE];
  return () => rmSync(poolDir, { recursive: true, force: true });
}

async function buildAndSynthesize(): Promise<void> {
  const root = join(import.meta.dirname, '..');
  if (!(await buildIsCurrent(root))) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], {
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`scripts/build.mjs failed: ${build.stderr}`);
  }
  // Imported here, not at the top: each project loads this file again, and the runner's modules take seconds.
  const { loadAssembly } = await import('../local/runner/assembly');
  const { E2E_PIPELINES, soloE2ePipelines } = await import('./helpers/local-stack');
  await loadAssembly(E2E_PIPELINES);
  await loadAssembly(soloE2ePipelines('shards'));
}

/** Whether dist/ was built from the sources as they are now (dist/build-info.json, scripts/build.mjs). */
async function buildIsCurrent(root: string): Promise<boolean> {
  const { BUILD_INFO_FILE, BUILD_SOURCES, sourcesHash } = await import('../local/runner/fingerprint');
  const info = await readFile(join(root, 'dist', BUILD_INFO_FILE), 'utf8').catch(() => undefined);
  if (info === undefined) return false;
  return (JSON.parse(info) as BuildInfo).buildSources === sourcesHash(root, BUILD_SOURCES);
}
