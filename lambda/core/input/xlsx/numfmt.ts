/**
 * A number cell's shown value from its format code: a practical subset of Excel's number format language
 * (docs/analyst.md). General shows up to 15 significant digits (Excel's precision, so a stored
 * 0.30000000000000004 shows as 0.3, and from 1E+15 on in scientific notation); fixed decimals, percent, thousands separators, scientific notation,
 * literal text and currency symbols follow the code; a date or time format shows ISO 8601 (date, time or
 * both, as the format has them) in the 1900 or 1904 date system. Fractions and conditions show General.
 */

import type { DateSection, NumberFormat, NumberSection } from './format-code';

/** The General format: up to 15 significant digits. */
export function generalNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(15));
  // Past 15 digits the plain form would show zeros that are not in the number: scientific instead.
  if (Math.abs(rounded) >= 1e15) {
    const [mantissa = '', power = ''] = rounded.toExponential(14).split('e');
    return `${mantissa.replace(/\.?0+$/, '')}E${power}`;
  }
  return String(rounded).replace('e', 'E');
}

/** `abs` (≥ 0) with `decimals` digits after the point, rounded half away from zero at 15 significant digits. */
function fixed(abs: number, decimals: number): { int: string; frac: string } {
  const rounded = Number(abs.toPrecision(15));
  const text = rounded.toFixed(Math.min(decimals + 4, 100));
  const [int = '0', frac = ''] = text.split('.');
  let digits = BigInt(int + frac.slice(0, decimals));
  if ((frac[decimals] ?? '0') >= '5') digits += 1n;
  const all = digits.toString().padStart(decimals + 1, '0');
  return { int: all.slice(0, all.length - decimals), frac: all.slice(all.length - decimals) };
}

function renderNumber(section: NumberSection, abs: number): string {
  if (section.intMin < 0) return section.prefix;
  const value = section.percent ? abs * 100 : abs;
  if (section.exponent >= 0) {
    const [mantissa = '', power = '0'] = value.toExponential(section.decimalsMax).split('e');
    const exp = Number(power);
    const digits = String(Math.abs(exp)).padStart(Math.max(section.exponent, 1), '0');
    return `${section.prefix}${mantissa.toUpperCase()}E${exp < 0 ? '-' : '+'}${digits}${section.suffix}`;
  }
  if (value >= 1e21) return `${section.prefix}${generalNumber(value)}${section.suffix}`;
  let { int, frac } = fixed(value, section.decimalsMax);
  while (frac.length > section.decimalsMin && frac.endsWith('0')) frac = frac.slice(0, -1);
  int = int.replace(/^0+/, '').padStart(section.intMin, '0');
  if (section.grouping) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${section.prefix}${int}${frac.length > 0 ? `.${frac}` : ''}${section.suffix}`;
}

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A date serial as ISO 8601 text: `YYYY-MM-DD`, `HH:MM[:SS]`, or both joined by `T`. The 1900 system
 * keeps Excel's phantom 1900-02-29 (serial 60) so later serials land on the dates Excel shows.
 */
function renderDate(section: DateSection, serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_466) return undefined;
  let days = Math.floor(serial);
  let secondsOfDay = Math.round((serial - days) * 86_400);
  if (secondsOfDay >= 86_400) {
    days++;
    secondsOfDay -= 86_400;
  }
  const clock = (hours: number) => {
    const minutes = Math.floor(secondsOfDay / 60) % 60;
    const text = `${pad(hours)}:${pad(minutes)}`;
    return section.seconds ? `${text}:${pad(secondsOfDay % 60)}` : text;
  };
  if (section.elapsed) return clock(Math.floor((days * 86_400 + secondsOfDay) / 3600));
  const time = clock(Math.floor(secondsOfDay / 3600));
  if (!section.date) return time;
  let day: string;
  if (!date1904 && days === 60) day = '1900-02-29';
  else {
    const epoch = date1904
      ? Date.UTC(1904, 0, 1)
      : days < 60
        ? Date.UTC(1899, 11, 31)
        : Date.UTC(1899, 11, 30);
    const d = new Date(epoch + days * DAY_MS);
    day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  return section.time ? `${day}T${time}` : day;
}

/**
 * A number's shown value under a compiled format.
 *
 * @example formatNumber(45292.5, compileFormat('yyyy-mm-dd hh:mm'), false) // '2024-01-01T12:00'
 */
export function formatNumber(value: number, format: NumberFormat, date1904: boolean): string {
  const { sections } = format;
  let section = sections[0]!;
  let abs = value;
  let sign = '';
  if (value < 0 && sections.length >= 2 && sections[1]!.kind !== 'general') {
    section = sections[1]!;
    abs = -value;
  } else if (value === 0 && sections.length >= 3) section = sections[2]!;
  else if (value < 0 && section.kind === 'number') {
    abs = -value;
    sign = '-';
  }
  switch (section.kind) {
    case 'general':
      return generalNumber(value);
    case 'empty':
      return '';
    case 'date':
      return renderDate(section, value, date1904) ?? generalNumber(value);
    case 'number': {
      const text = renderNumber(section, abs);
      return sign !== '' && /[1-9]/.test(text) ? `${sign}${text}` : text;
    }
  }
}
