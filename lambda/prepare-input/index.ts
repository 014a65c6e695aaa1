/** Placeholder handler for prepare-input: replaced by its implementation. */
export async function handler(event: unknown): Promise<unknown> {
  return { placeholder: 'prepare-input', event };
}
