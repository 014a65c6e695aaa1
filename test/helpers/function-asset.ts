/** Asset folders with small hand-written bundles, standing in for the synthesized ones (runner tests). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionAsset } from '../../local/runner/assembly';

/** Writes `files` into `codeDir` and describes it as the Check job function (`index.handler`, 60 s, 256 MB). */
export async function functionAsset(
  codeDir: string,
  files: Record<string, string>,
  overrides: Partial<FunctionAsset> = {},
): Promise<FunctionAsset> {
  await mkdir(codeDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(codeDir, name), text);
  return {
    handlerName: 'check-job',
    logicalId: 'CheckJobFunction',
    codeDir,
    handler: 'index.handler',
    timeoutSeconds: 60,
    memoryMb: 256,
    ephemeralStorageMb: 512,
    ...overrides,
  };
}
