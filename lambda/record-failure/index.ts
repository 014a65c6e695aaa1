/** Placeholder handler for record-failure: replaced by its implementation. */
export async function handler(event: unknown): Promise<unknown> {
  return { placeholder: 'record-failure', event };
}
