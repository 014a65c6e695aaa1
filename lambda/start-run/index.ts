/** Placeholder handler for start-run: replaced by its implementation. */
export async function handler(event: unknown): Promise<unknown> {
  return { placeholder: 'start-run', event };
}
