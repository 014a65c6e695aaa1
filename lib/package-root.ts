/**
 * Where the package lives: the nearest folder above this module that holds a `package.json`. The same from
 * the TypeScript sources (`lib/`) and from the compiled output (`dist/`), in the repository or installed.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above `start` that holds a `package.json` (else `start` itself). */
export function packageRootOf(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** The repository (or installed package) root: `lambda/` and `pipelines/` live here. */
export const PACKAGE_ROOT = packageRootOf(import.meta.dirname);
