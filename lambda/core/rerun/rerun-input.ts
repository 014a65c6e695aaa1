/**
 * The execution input of a re-run, from the previous run's: the same pipeline and input object (its
 * key, not its version: Prepare reads the object as it is now and refuses when its bytes changed),
 * the derived run id, and `rerunOf`. docs/operator.md shows it for a start from the console.
 */
import type { RunInput } from '../contract/types';
import { rerunIdFor } from './rerun-id';

/**
 * @example rerunInput({ runId: 'a-0123456789ab', pipeline: 'qa', source: { bucket: 'in', key: 'inbox/qa/a.csv', versionId: 'v1' } })
 *   // { runId: 'a-r2-…', pipeline: 'qa', source: { bucket: 'in', key: 'inbox/qa/a.csv' }, rerunOf: 'a-0123456789ab' }
 */
export function rerunInput(previous: RunInput): RunInput {
  return {
    runId: rerunIdFor(previous.runId),
    pipeline: previous.pipeline,
    source: { bucket: previous.source.bucket, key: previous.source.key },
    rerunOf: previous.runId,
  };
}
