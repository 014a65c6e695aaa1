/**
 * A number cell's shown value from its format code: a practical subset of Excel's number format language
 * (docs/analyst.md). General shows up to 15 significant digits (Excel's precision, so a stored
 * 0.30000000000000004 shows as 0.3, and from 1E+15 on in scientific notation); fixed decimals, percent, thousands separators, scientific notation,
 * literal text and currency symbols follow the code; a date or time format shows ISO 8601 (date, time or
 * both, as the format has them) in the 1900 or 1904 date system. Fractions and conditions show General.
 */

/** Excel's built-in format codes by id (ids 27-36 and 50-58 are East Asian date formats). */
export const BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  5: '"$"#,##0_);("$"#,##0)',
  6: '"$"#,##0_);[Red]("$"#,##0)',
  7: '"$"#,##0.00_);("$"#,##0.00)',
  8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'yyyy-mm-dd',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'yyyy-mm-dd h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
  ...Object.fromEntries(
    [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58].map((id) => [
      id,
      'yyyy-mm-dd',
    ]),
  ),
};

interface NumberSection {
  readonly kind: 'number';
  readonly prefix: string;
  readonly suffix: string;
  readonly intMin: number;
  readonly decimalsMin: number;
  readonly decimalsMax: number;
  readonly grouping: boolean;
  readonly percent: boolean;
  /** Exponent digits for scientific notation, or -1. */
  readonly exponent: number;
}

interface DateSection {
  readonly kind: 'date';
  readonly date: boolean;
  readonly time: boolean;
  readonly seconds: boolean;
  readonly elapsed: boolean;
}

type Section = NumberSection | DateSection | { readonly kind: 'general' } | { readonly kind: 'empty' };

/** A compiled format code (compile once per style, apply per cell). */
export interface NumberFormat {
  readonly sections: readonly Section[];
}

function splitSections(code: string): string[] {
  const sections: string[] = [];
  let current = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      const stop = end < 0 ? code.length : end;
      current += code.slice(i, stop + 1);
      i = stop;
    } else if (c === '\\' || c === '_' || c === '*') {
      current += code.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      const end = code.indexOf(']', i);
      const stop = end < 0 ? code.length : end;
      current += code.slice(i, stop + 1);
      i = stop;
    } else if (c === ';') {
      sections.push(current);
      current = '';
    } else current += c;
  }
  sections.push(current);
  return sections;
}

type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string };

function tokenize(section: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < section.length; i++) {
    const c = section[i]!;
    if (c === '"') {
      const end = section.indexOf('"', i + 1);
      const stop = end < 0 ? section.length : end;
      tokens.push({ kind: 'literal', text: section.slice(i + 1, stop) });
      i = stop;
    } else if (c === '\\') {
      tokens.push({ kind: 'literal', text: section[i + 1] ?? '' });
      i++;
    } else if (c === '_' || c === '*') i++;
    else if (c === '[') {
      const end = section.indexOf(']', i);
      const stop = end < 0 ? section.length : end;
      const inner = section.slice(i + 1, stop);
      const currency = /^\$([^-]*)/.exec(inner);
      if (currency) tokens.push({ kind: 'literal', text: currency[1]! });
      else if (/^(h+|m+|s+)$/i.test(inner)) tokens.push({ kind: 'code', text: `[${inner.toLowerCase()}]` });
      i = stop;
    } else if (/^(AM\/PM|A\/P)/i.test(section.slice(i))) {
      const text = /^(AM\/PM|A\/P)/i.exec(section.slice(i))![0];
      tokens.push({ kind: 'code', text: 'ampm' });
      i += text.length - 1;
    } else if (/[0#?.,%eEyYmMdDhHsS@]/.test(c)) {
      if ((c === 'e' || c === 'E') && (section[i + 1] === '+' || section[i + 1] === '-')) {
        tokens.push({ kind: 'code', text: 'E' });
        i++;
      } else if (/[ymdhs]/i.test(c)) {
        // A run of one letter is one part (`mm` is a month or minutes, never two months).
        let end = i + 1;
        while (end < section.length && section[end]!.toLowerCase() === c.toLowerCase()) end++;
        tokens.push({ kind: 'code', text: section.slice(i, end).toLowerCase() });
        i = end - 1;
      } else tokens.push({ kind: 'code', text: c });
    } else if (c === '/') tokens.push({ kind: 'code', text: '/' });
    else tokens.push({ kind: 'literal', text: c });
  }
  return tokens;
}

function compileSection(section: string): Section {
  if (section === '') return { kind: 'empty' };
  if (/^general$/i.test(section.replace(/\[[^\]]*\]/g, '').trim())) return { kind: 'general' };
  const tokens = tokenize(section);
  const codes = tokens.filter((t) => t.kind === 'code').map((t) => t.text);
  const dateCodes = codes.filter((c) => /^(\[?[ymdhs]+\]?|ampm)$/.test(c));
  if (dateCodes.length > 0 && !codes.includes('@')) {
    let date = false;
    let time = false;
    let seconds = false;
    let elapsed = false;
    for (let k = 0; k < dateCodes.length; k++) {
      const c = dateCodes[k]!;
      if (c.startsWith('[')) elapsed = true;
      if (c.includes('y') || c.includes('d')) date = true;
      else if (c.includes('h') || c === 'ampm') time = true;
      else if (c.includes('s')) {
        time = true;
        seconds = true;
      } else if (c.includes('m')) {
        const minute =
          dateCodes[k - 1]?.includes('h') || dateCodes[k + 1]?.includes('s') || c.startsWith('[');
        if (minute) time = true;
        else date = true;
      }
    }
    return { kind: 'date', date: date && !elapsed, time: time || elapsed, seconds, elapsed };
  }
  if (codes.includes('@') || codes.includes('/') || !codes.some((c) => c === '0' || c === '#' || c === '?')) {
    return codes.includes('@') || codes.includes('/') ? { kind: 'general' } : literalOnly(tokens);
  }
  const first = tokens.findIndex((t) => t.kind === 'code' && /[0#?.]/.test(t.text));
  let last = -1;
  for (let k = tokens.length - 1; k >= 0; k--) {
    if (tokens[k]!.kind === 'code' && /[0#?]/.test(tokens[k]!.text)) {
      last = k;
      break;
    }
  }
  const text = (list: Token[]) =>
    list.map((t) => (t.kind === 'literal' ? t.text : t.text === '%' ? '%' : '')).join('');
  let intMin = 0;
  let decimalsMin = 0;
  let decimalsMax = 0;
  let grouping = false;
  let exponent = -1;
  let afterPoint = false;
  let inExponent = false;
  for (const c of codes) {
    if (c === '.') afterPoint = true;
    else if (c === 'E') {
      inExponent = true;
      exponent = 0;
    } else if (inExponent) {
      if (c === '0' || c === '#') exponent++;
    } else if (c === ',') {
      if (!afterPoint) grouping = true;
    } else if (/[0#?]/.test(c)) {
      if (afterPoint) {
        decimalsMax++;
        if (c === '0') decimalsMin = decimalsMax;
      } else if (c === '0') intMin++;
    }
  }
  return {
    kind: 'number',
    prefix: text(tokens.slice(0, first)),
    suffix: text(tokens.slice(last + 1)),
    intMin,
    decimalsMin,
    decimalsMax,
    grouping,
    percent: codes.includes('%'),
    exponent,
  };
}

/** A section with no digit placeholder shows its literal text only (for example `"n/a"`). */
function literalOnly(tokens: Token[]): NumberSection {
  const text = tokens.map((t) => (t.kind === 'literal' ? t.text : '')).join('');
  return {
    kind: 'number',
    prefix: text,
    suffix: '',
    intMin: -1,
    decimalsMin: 0,
    decimalsMax: 0,
    grouping: false,
    percent: false,
    exponent: -1,
  };
}

/**
 * Compiles a format code.
 *
 * @example formatNumber(0.125, compileFormat('0.0%'), false) // '12.5%'
 */
export function compileFormat(code: string): NumberFormat {
  return { sections: splitSections(code).slice(0, 4).map(compileSection) };
}

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
