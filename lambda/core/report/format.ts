/**
 * Numbers, money, times and durations as report.html writes them: the same output on every machine
 * (no locale of the Lambda or the laptop involved).
 */

/**
 * An integer with thin-space thousands separators.
 *
 * @example formatCount(1234567) // '1 234 567' (U+2009 between groups)
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/**
 * US dollars: cents from $1 on, four significant digits below; `–` for an unknown price.
 *
 * @example formatUsd(12.345) // '$12.35'
 * @example formatUsd(0.0012345) // '$0.001235'
 */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  return `$${Number(value.toPrecision(4))}`;
}

/**
 * An ISO 8601 time as `YYYY-MM-DD HH:MM:SS UTC`; `–` when absent or unreadable.
 *
 * @example formatTime('2026-12-01T06:27:03.120Z') // '2026-12-01 06:27:03 UTC'
 */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '–';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '–';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A duration in the two largest units that matter.
 *
 * @example formatDuration(3_725_000) // '1 h 02 min'
 * @example formatDuration(42_000) // '42 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${String(h % 24).padStart(2, '0')} h`;
}

/**
 * A share of a whole as a percentage with one decimal (`–` for an empty whole).
 *
 * @example formatPercent(1, 3) // '33.3%'
 */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '–';
  return `${((100 * part) / whole).toFixed(1)}%`;
}
