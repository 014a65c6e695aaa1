/**
 * A function's code: the bundle `npm run build` made of its handler (dist/functions/<name>/index.mjs, see
 * scripts/build.mjs), so synthesis bundles nothing and every synthesis of the same package ships the same
 * bytes. Prepare input's asset also holds the pipelines folder, copied beside the bundle at synthesis.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { HandlerName } from './handler-names';
import { PACKAGE_ROOT } from './package-root';

/** The folder holding a handler's prebuilt bundle (`index.mjs` and its source map). */
export function bundleDir(name: HandlerName): string {
  return join(PACKAGE_ROOT, 'dist', 'functions', name);
}

/**
 * The Lambda code of one handler (its handler is `index.handler`); with `pipelinesDir`, the pipelines
 * folder is copied into the asset as `pipelines/`.
 *
 * @throws Error when the bundle has not been built (`npm run build`).
 */
export function functionCode(name: HandlerName, pipelinesDir?: string): lambda.AssetCode {
  const dir = bundleDir(name);
  if (!existsSync(join(dir, 'index.mjs'))) {
    throw new Error(
      `The ${name} function's bundle is missing (${join(dir, 'index.mjs')}): run \`npm run build\` (npm ci runs it) first.`,
    );
  }
  if (pipelinesDir === undefined) return lambda.Code.fromAsset(dir);
  return lambda.Code.fromAsset(dir, {
    bundling: {
      // Never pulled: local bundling below always succeeds.
      image: DockerImage.fromRegistry('scratch'),
      local: {
        tryBundle(outputDir: string): boolean {
          cpSync(dir, outputDir, { recursive: true });
          cpSync(pipelinesDir, join(outputDir, 'pipelines'), { recursive: true });
          return true;
        },
      },
    },
  });
}
