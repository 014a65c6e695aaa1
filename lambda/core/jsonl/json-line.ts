/**
 * One JSONL line read as an object, for readers that must survive truncated or foreign lines.
 */

/**
 * The line's JSON object, or `undefined` when the line is not JSON or not an object (a truncated
 * line, a bare value).
 *
 * @example parseObjectLine('{"recordId":"r1"}') // { recordId: 'r1' }
 */
export function parseObjectLine(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
