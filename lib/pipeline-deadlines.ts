/**
 * Synth-time checks of the pipelines' `deadlineHours` against the stack: a deadline the state machine
 * would never reach is refused, and one that a full job's records cannot meet even on demand is flagged.
 */
import { Annotations, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PipelineDefinition } from '../lambda/core/contract/types';
import { onDemandSeconds } from '../lambda/core/deadline/estimate';

/**
 * Throws when a pipeline's deadline is at or after the execution timeout (the run would be cut off
 * before its deadline means anything); warns when `maxRecordsPerJob` records on demand take longer than
 * the deadline by the documented estimate (such a file reports "deadline cannot be met").
 */
export function checkDeadlines(
  scope: IConstruct,
  pipelines: readonly PipelineDefinition[],
  executionHours: number,
): void {
  for (const pipeline of pipelines) {
    const hours = pipeline.deadlineHours;
    if (hours === undefined) continue;
    if (!Token.isUnresolved(executionHours) && hours >= executionHours) {
      throw new Error(
        `Pipeline "${pipeline.name}": deadlineHours ${hours} is not before the state machine's execution timeout of ${executionHours} hours; lower deadlineHours or raise executionTimeout`,
      );
    }
    const fullJob = onDemandSeconds(pipeline.maxRecordsPerJob);
    if (fullJob > hours * 3600) {
      Annotations.of(scope).addWarningV2(
        'bedrock-batch:deadline-too-short',
        `Pipeline "${pipeline.name}": ${pipeline.maxRecordsPerJob} records (maxRecordsPerJob) take about ${Math.ceil(fullJob / 3600)} hours on demand, more than deadlineHours ${hours}: files that large report "deadline cannot be met"`,
      );
    }
  }
}
