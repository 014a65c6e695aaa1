/** Placeholder handler for submit-job: replaced by its implementation. */
export async function handler(event: unknown): Promise<unknown> {
  return { placeholder: 'submit-job', event };
}
