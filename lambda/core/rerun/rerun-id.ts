/**
 * The run id of a re-run, derived from the previous run's: `<slug>-r<N>-<12 hex>`, where `<slug>` is the
 * previous id's readable part without an earlier `-r<N>`, N counts re-runs (2 for the first) and the
 * hash is SHA-256 over the previous id. It keeps the run id contract (`[A-Za-z0-9-]`, at most 80
 * characters, 12 hex characters at the end, which job names carry), and the same previous run always
 * gives the same id, so starting a re-run twice finds the first.
 */
import { createHash } from 'node:crypto';
import { MAX_RUN_ID_LENGTH, RUN_HASH_LENGTH } from '../contract/run-id';

/**
 * @example rerunIdFor('Q3-report-0123456789ab') // 'Q3-report-r2-<12 hex>'
 * @example rerunIdFor('Q3-report-r2-89abcdef0123') // 'Q3-report-r3-<12 hex>'
 */
export function rerunIdFor(previousRunId: string): string {
  const dash = previousRunId.length - RUN_HASH_LENGTH - 1;
  const slug = dash > 0 && previousRunId[dash] === '-' ? previousRunId.slice(0, dash) : 'run';
  const earlier = /^(.*)-r(\d+)$/.exec(slug);
  const base = earlier ? earlier[1]! : slug;
  const round = earlier ? Number(earlier[2]) + 1 : 2;
  const suffix = `-r${round}`;
  const hash = createHash('sha256')
    .update(JSON.stringify(['rerun', previousRunId]))
    .digest('hex')
    .slice(0, RUN_HASH_LENGTH);
  const room = MAX_RUN_ID_LENGTH - RUN_HASH_LENGTH - 1 - suffix.length;
  const head = base.slice(0, room).replace(/-+$/, '') || 'run';
  return `${head}${suffix}-${hash}`;
}
