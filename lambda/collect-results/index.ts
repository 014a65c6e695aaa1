/** Placeholder handler for collect-results: replaced by its implementation. */
export async function handler(event: unknown): Promise<unknown> {
  return { placeholder: 'collect-results', event };
}
