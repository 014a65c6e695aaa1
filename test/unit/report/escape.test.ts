import { describe, expect, it } from 'vitest';
import { escapeHtml, truncate } from '../../../lambda/core/report/escape';

describe('escapeHtml', () => {
  it('turns every character that could open markup or end an attribute into an entity', () => {
    expect(escapeHtml(`<script>alert("x")</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
    expect(escapeHtml(`"><img src=x onerror='alert(1)'>`)).toBe(
      '&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;',
    );
    expect(escapeHtml('a & b `c`')).toBe('a &amp; b &#96;c&#96;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('keeps Unicode text and shows controls, lone surrogates and noncharacters as U+FFFD', () => {
    expect(escapeHtml('café 日本 😀 مرحبا')).toBe('café 日本 😀 مرحبا');
    expect(escapeHtml('a\u0000b\u0007c\u009Fd')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(escapeHtml('x\uD800y\uDC00z\uFFFF')).toBe('x\uFFFDy\uFFFDz\uFFFD');
    expect(escapeHtml('tab\tnew\nline')).toBe('tab\tnew\nline');
  });
});

describe('truncate', () => {
  it('cuts at a number of code points, never inside an emoji, and marks the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcd', 4)).toBe('abcd');
    expect(truncate('😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('x'.repeat(1_000_000), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('puts a multi-line cell on one line', () => {
    expect(truncate('a\r\nb\tc', 10)).toBe('a b c');
  });
});
