import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRun } from '../../../lambda/core/collect/run';
import { StringSink } from '../../../lambda/core/collect/sink';
import { MemorySpillStore } from '../../../lambda/core/collect/spill';
import { GOLDEN_CASES, runGoldenCase } from './golden-cases';

const GOLDEN = join(import.meta.dirname, '../../fixtures/collect/golden');

describe('Collect writes the same bytes as main at 7d84278 (test/fixtures/collect/golden)', () => {
  for (const [c, bytes] of GOLDEN_CASES.flatMap((c) => [[c, false] as const, [c, true] as const])) {
    it(`${c.name}, sidecar as ${bytes ? 'bytes' : 'text'}: the four result files`, async () => {
      const files = await runGoldenCase(c, { collectRun, StringSink, MemorySpillStore }, bytes);
      for (const [name, text] of Object.entries(files)) {
        const expected = readFileSync(join(GOLDEN, `${c.name}.${name}`));
        // As UTF-8 bytes, as the sinks upload them (a lone surrogate becomes U+FFFD on both sides).
        expect(Buffer.from(text, 'utf8').equals(expected), `${c.name}.${name}`).toBe(true);
      }
    });
  }
});
