/**
 * The pseudo job of an on-demand shard. Outputs go where a batch job's would
 * (`runs/<runId>/batch-output/<jobId>/`), so Collect reads them unchanged; the id looks like a batch
 * job id (12 characters of `[a-z0-9]`) and is derived, so a retried invocation writes the same keys.
 */
import { createHash } from 'node:crypto';

/** On-demand "job ARNs" start with this; the id follows the last `/`, as in a real job ARN. */
export const ON_DEMAND_ARN_PREFIX = 'on-demand/';

/**
 * The first 12 base-36 digits of SHA-256 over `runId`, the shard number and `ondemand`; from round 2
 * on, or for a part other than 1, the round and part numbers follow, so a retry round writes beside
 * the first round, never over it.
 *
 * @example onDemandJobId('report-0123456789ab', 1) // 12 characters of [a-z0-9]
 */
export function onDemandJobId(runId: string, shard: number, round = 1, part = 1): string {
  const parts = [runId, String(shard), 'ondemand'];
  if (round > 1 || part > 1) parts.push(String(round), String(part));
  const digest = createHash('sha256').update(parts.join('\n')).digest('hex');
  return BigInt(`0x${digest}`).toString(36).padStart(12, '0').slice(0, 12);
}

/** `on-demand/<jobId>`: `jobIdFromArn` (lambda/core/contract/layout.ts) returns `jobId`. */
export function onDemandJobArn(jobId: string): string {
  return `${ON_DEMAND_ARN_PREFIX}${jobId}`;
}

/** True for a {@link onDemandJobArn}. */
export function isOnDemandJobArn(jobArn: string): boolean {
  return jobArn.startsWith(ON_DEMAND_ARN_PREFIX);
}
