/**
 * Bundles a bench's measured process as the Lambda functions are bundled (esbuild, plain node, ESM), so the
 * measured process runs no TypeScript loader.
 */
import { build } from 'esbuild';

/** Bundles `entry` into `outfile` and returns `outfile`. */
export async function bundleForNode(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: "import { createRequire as bannerRequire } from 'node:module'; const require = bannerRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return outfile;
}
