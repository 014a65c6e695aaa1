/**
 * Compiling an Excel number format code into sections (positive; negative; zero; text): number sections
 * with their digits, decimals, grouping, percent and exponent, date and time sections, General and empty.
 * numfmt.ts renders a cell's value with the result.
 */

/** A number section: digits, decimals, grouping, percent, exponent and the literal text around them. */
export interface NumberSection {
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

/** A date or time section: which parts it shows, and whether hours are elapsed time (`[h]`). */
export interface DateSection {
  readonly kind: 'date';
  readonly date: boolean;
  readonly time: boolean;
  readonly seconds: boolean;
  readonly elapsed: boolean;
}

/** One section of a format code. */
export type Section = NumberSection | DateSection | { readonly kind: 'general' } | { readonly kind: 'empty' };

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
