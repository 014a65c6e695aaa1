#!/usr/bin/env node
// `npm run build`, and npm's `prepare` (so `npm ci` builds): compiles the package to dist/.
// - esbuild bundles the entry points into ES modules for Node (dependencies stay imports from
//   node_modules), split so that each verb loads only its own code: dist/index.js (the construct library),
//   dist/cli.js (the `bedrock-batch` command), dist/app.js (the CDK app of cdk.json);
// - esbuild bundles each Lambda handler (`lambda/<name>/index.ts`) with its dependencies into one minified
//   file for the Lambda Node.js 24 runtime, dist/functions/<name>/index.mjs: the code `cdk deploy` uploads
//   and the local runner runs (lib/function-code.ts), built once here rather than at every synthesis;
// - plain `.mjs` files the modules start beside themselves (the Lambda worker) are copied;
// - dist/build-info.json records the hash of everything built (the test setup skips a current build) and of
//   the construct sources compiled (the local runner's assembly
//   cache key, local/runner/fingerprint.ts);
// - with --declarations (`npm run build`, `prepare`), tsc writes the declaration files (dist/types), their
//   relative imports given the `.js` extension Node's resolution needs (scripts/declaration-imports.mjs).
// Each file is replaced whole (written aside, then renamed), so a process running from dist/ meanwhile
// never reads half a file. Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const quiet = process.argv.includes('--quiet');

/** Plain `.mjs` modules under these folders run beside the compiled modules (for example in a Worker). */
const RUNTIME_FILES_UNDER = ['local'];

const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'lib/index.ts',
    cli: 'cli/main.ts',
    app: 'bin/app.ts',
    fingerprint: 'local/runner/fingerprint.ts',
  },
  outdir: dist,
  write: false,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  // ajv is loaded with require() at the first JSON Schema (lambda/core/pipeline/json-output.ts): give
  // the ES modules one, as the Lambda bundles have (named apart from the modules' own imports).
  banner: {
    js: "import { createRequire as bannerRequire } from 'node:module'; const require = bannerRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  sourcesContent: false,
  // The state machine and the CLI match errors by class name.
  keepNames: true,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});

// One bundle per handler folder, self-contained (the Lambda runtime has no node_modules of ours).
const handlers = (await readdir(join(root, 'lambda'), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'lambda', entry.name, 'index.ts')))
  .map((entry) => entry.name);
const functions = await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(handlers.map((name) => [`${name}/index`, `lambda/${name}/index.ts`])),
  outdir: join(dist, 'functions'),
  outExtension: { '.js': '.mjs' },
  write: false,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  // Some dependencies still call require(): give the ES module one.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  minify: true,
  // The state machine's Retry and Catch, and Record failure, match errors by class name.
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
});

await mkdir(dist, { recursive: true });
const written = new Set(['types', 'functions']);
const replace = async (path, content) => {
  await mkdir(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.tmp`;
  await writeFile(aside, content);
  await rename(aside, path);
  written.add(basename(path));
};
for (const file of result.outputFiles) await replace(file.path, file.contents);
await rm(join(dist, 'functions'), { recursive: true, force: true });
for (const file of functions.outputFiles) await replace(file.path, file.contents);
for (const folder of RUNTIME_FILES_UNDER) {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((e) => e.isFile() && e.name.endsWith('.mjs'))) {
    const aside = join(dist, `${entry.name}.${process.pid}.tmp`);
    await copyFile(join(entry.parentPath, entry.name), aside);
    await rename(aside, join(dist, entry.name));
    written.add(entry.name);
  }
}
const { BUILD_SOURCES, CONSTRUCT_SOURCES, BUILD_INFO_FILE, sourcesHash } = await import(
  join(dist, 'fingerprint.js')
);
const info = {
  constructSources: sourcesHash(root, CONSTRUCT_SOURCES),
  buildSources: sourcesHash(root, BUILD_SOURCES),
};
await replace(join(dist, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
// Chunks of earlier builds (their names are content hashes).
for (const name of await readdir(dist)) {
  if (!written.has(name) && !name.endsWith('.tmp'))
    await rm(join(dist, name), { recursive: true, force: true });
}
const bundled = performance.now();

if (process.argv.includes('--declarations')) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  const { addDeclarationExtensions } = await import('./declaration-imports.mjs');
  await addDeclarationExtensions(join(dist, 'types'));
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
if (!quiet) {
  process.stdout.write(
    `built dist/ in ${seconds(performance.now() - started)} (modules ${seconds(bundled - started)})\n`,
  );
}
