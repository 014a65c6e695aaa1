/**
 * Builds the end-to-end pipelines' bundled assembly once, before the test files start in parallel: each
 * would otherwise synthesize and bundle the same functions at the same time on a cold cache.
 */
import { loadAssembly } from '../local/runner/assembly';
import { E2E_PIPELINES } from './helpers/local-stack';

export default async function setup(): Promise<void> {
  await loadAssembly(E2E_PIPELINES);
}
