/** The tags a run leaves on the analyst's input object (a contract: see docs/analyst.md). */

/** The tags that mark the analyst's object as done. */
export function successTags(runId: string): Record<string, string> {
  return { 'bedrock-batch:status': 'succeeded', 'bedrock-batch:run-id': runId };
}

/** The tags that mark the analyst's object as failed. */
export function failureTags(runId: string, code: string): Record<string, string> {
  return { 'bedrock-batch:status': 'failed', 'bedrock-batch:run-id': runId, 'bedrock-batch:error': code };
}
