// The package's declaration files with the `.js` extension on every relative import. tsc writes the
// specifiers as the sources spell them (extensionless, `moduleResolution: bundler`), but the package is
// `"type": "module"`: a TypeScript app that resolves like Node (`module`/`moduleResolution` `node16` or
// `nodenext`) cannot follow an extensionless import, and every export of the package silently becomes
// `any` there (no error, no checked props). Plain JavaScript: scripts/build.mjs runs it after tsc.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** `from '…'`, `import('…')` and `import '…'` with a relative specifier. */
const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

/**
 * The specifier Node's ES module resolution finds for `specifier` in declaration file `file`:
 * `./x` → `./x.js` (x.d.ts) or `./x/index.js` (x/index.d.ts); one with an extension is kept.
 *
 * @throws Error when neither declaration file exists (the build must not ship a broken import).
 */
export function resolvedSpecifier(file, specifier) {
  if (/\.(c|m)?js$|\.json$/.test(specifier)) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier}/index.js`;
  throw new Error(`${file}: no declaration file for import '${specifier}'`);
}

/** Rewrites every relative import of every `.d.ts` under `dir` ({@link resolvedSpecifier}). */
export async function addDeclarationExtensions(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((e) => e.isFile() && e.name.endsWith('.d.ts'))) {
    const file = join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    const rewritten = text.replace(
      RELATIVE_IMPORT,
      (_match, head, quote, specifier) => `${head}${quote}${resolvedSpecifier(file, specifier)}${quote}`,
    );
    if (rewritten !== text) await writeFile(file, rewritten);
  }
}
