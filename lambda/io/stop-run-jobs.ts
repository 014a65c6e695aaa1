/** Stops a run's Bedrock batch jobs that are still queued or running (their names contain the run hash). */
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { listActiveJobs, stopJob } from './bedrock';

/** How many of the run's jobs were active, and how many of them Bedrock agreed to stop. */
export interface StoppedJobs {
  readonly found: number;
  readonly stopped: number;
}

/** Asks Bedrock to stop each active job whose name contains `runHash`, one after the other. */
export async function stopRunJobs(bedrock: BedrockClient, runHash: string): Promise<StoppedJobs> {
  const arns = await listActiveJobs(bedrock, runHash);
  let stopped = 0;
  for (const jobArn of arns) {
    if (await stopJob(bedrock, jobArn)) stopped += 1;
  }
  return { found: arns.length, stopped };
}
