/**
 * Content hashes for the assembly cache. The construct code that synthesizes an assembly runs either from
 * the TypeScript sources (tests) or from the compiled `dist/` (the `bedrock-batch` command): the compiled
 * output records the hash of the sources it was built from (`dist/build-info.json`, written by
 * `scripts/build.mjs`), so a stale build never lends its assembly to newer sources, nor the reverse.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-root';

/** Folders and files, relative to the package root, whose content makes the construct's code. */
export const CONSTRUCT_SOURCES = ['lambda', 'lib', 'local/runner/asl.ts'] as const;

/** Everything scripts/build.mjs compiles or copies into dist/, or that decides how (relative to the package root). */
export const BUILD_SOURCES = [
  'bin',
  'cli',
  'lambda',
  'lib',
  'local',
  'scripts/build.mjs',
  // esbuild reads the compiler options and the package's own fields; the lock file pins what it bundles.
  'tsconfig.json',
  'package.json',
  'package-lock.json',
] as const;

/** The build's record, next to the compiled modules. */
export const BUILD_INFO_FILE = 'build-info.json';

/** What `dist/build-info.json` holds. */
export interface BuildInfo {
  /** {@link sourcesHash} of {@link CONSTRUCT_SOURCES} when the build ran. */
  readonly constructSources: string;
  /** {@link sourcesHash} of {@link BUILD_SOURCES} when the build ran: dist/ is current while it matches. */
  readonly buildSources: string;
}

/**
 * Adds every file under `path` (name relative to `base`, then content) to `hash`, in a stable order.
 * Synchronous: for a few hundred small files this takes a third of the CPU of the promise-based calls.
 */
export function hashTree(hash: Hash, base: string, path: string): void {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) {
    hash.update(`absent ${relative(base, path)}\0`);
    return;
  }
  if (info.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      hashTree(hash, base, join(path, entry));
    }
    return;
  }
  hash.update(relative(base, path)).update('\0').update(readFileSync(path)).update('\0');
}

/** A hex hash of the files under `paths` (relative to `root`). */
export function sourcesHash(root: string, paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) hashTree(hash, root, join(root, path));
  return hash.digest('hex');
}

/**
 * The hash of the construct code this process runs: recorded by the build when running compiled, else
 * computed from the sources.
 */
export async function constructHash(): Promise<string> {
  const recorded = join(import.meta.dirname, BUILD_INFO_FILE);
  if (existsSync(recorded)) {
    return (JSON.parse(await readFile(recorded, 'utf8')) as BuildInfo).constructSources;
  }
  return sourcesHash(PACKAGE_ROOT, CONSTRUCT_SOURCES);
}
