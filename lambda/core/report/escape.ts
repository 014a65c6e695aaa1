/**
 * Text made safe for report.html: every value the page shows (cells, codes, messages, ids) goes through
 * {@link escapeHtml} or {@link escapeAttr}, so no cell is ever parsed as markup, whatever it holds.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * C0 and C1 controls (tab and newline kept), lone surrogates and noncharacters: shown as U+FFFD, since
 * the HTML parser either drops them or reports them as errors.
 */
const UNSHOWABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as HTML character data: `& < > " ' \`` become entities, unshowable characters U+FFFD.
 *
 * @example escapeHtml('<script>alert(1)</script>') // '&lt;script&gt;alert(1)&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(UNSHOWABLE, '\uFFFD').replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]!);
}

/** Text as a double-quoted attribute value (the same escapes; the caller writes the quotes). */
export function escapeAttr(text: string): string {
  return escapeHtml(text);
}

/**
 * At most `max` characters (code points, so no emoji is cut in half), with `…` when cut; line breaks
 * and tabs become spaces so a sample cell stays on one line.
 *
 * @example truncate('abcdef', 4) // 'abc…'
 */
export function truncate(text: string, max: number): string {
  // A code point is at most two UTF-16 units: a longer text is cut anyway, so only its head is read.
  const head = text.length > 2 * max + 2 ? text.slice(0, 2 * max + 2) : text;
  const flat = head.replace(/[\r\n\t]+/g, ' ');
  const points = Array.from(flat);
  if (head === text && points.length <= max) return flat;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}
