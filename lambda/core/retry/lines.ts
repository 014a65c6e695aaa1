/** What the retry round reads of a batch output or input line: its recordId and whether it was answered. */

/** The line's recordId (a number is read as its text); `undefined` when the line is not a record. */
export function recordIdOf(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as { recordId?: unknown } | null;
    const id = value?.recordId;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the line carries a `modelOutput` (the model answered it). */
export function hasModelOutput(line: string): boolean {
  try {
    return (JSON.parse(line) as { modelOutput?: unknown } | null)?.modelOutput !== undefined;
  } catch {
    return false;
  }
}
