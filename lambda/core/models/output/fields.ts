/** Small readers for untrusted JSON bodies. */

/** `value` as a plain object, or `undefined`. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A finite, non-negative number, or `undefined`. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A string, or `undefined`. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The `text` of every text block in a content list, joined; `undefined` when `content` is not a list. */
export function joinTextBlocks(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const block of content) {
    const value = asObject(block)?.text;
    if (typeof value === 'string') text += value;
  }
  return text;
}
