import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../lib/package-root';
import {
  BUILD_INFO_FILE,
  CONSTRUCT_SOURCES,
  constructHash,
  sourcesHash,
} from '../../local/runner/fingerprint';

const dist = join(PACKAGE_ROOT, 'dist');

type Fingerprint = typeof import('../../local/runner/fingerprint');

describe('the assembly cache key of compiled and source runs', () => {
  it('is the same from dist/ (built from these sources) as from the TypeScript sources', async () => {
    const compiled = (await import(pathToFileURL(join(dist, 'fingerprint.js')).href)) as Fingerprint;
    const fromSources = await constructHash();
    expect(fromSources).toBe(sourcesHash(PACKAGE_ROOT, CONSTRUCT_SOURCES));
    expect(await compiled.constructHash()).toBe(fromSources);
    const info = JSON.parse(readFileSync(join(dist, BUILD_INFO_FILE), 'utf8')) as {
      constructSources: string;
    };
    expect(info.constructSources).toBe(fromSources);
  });

  it('follows the sources a build compiled, not the sources beside it', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'stale-dist-'));
    try {
      await cp(dist, copy, { recursive: true });
      await writeFile(join(copy, BUILD_INFO_FILE), JSON.stringify({ constructSources: 'stale-build' }));
      const stale = (await import(pathToFileURL(join(copy, 'fingerprint.js')).href)) as Fingerprint;
      expect(await stale.constructHash()).toBe('stale-build');
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
