/** Placeholder handler for check-job: replaced by its implementation. */
export async function handler(event: unknown): Promise<unknown> {
  return { placeholder: 'check-job', event };
}
