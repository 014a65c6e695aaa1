/**
 * The cloud assembly the local runner runs: the app synthesized as `cdk synth` writes it for `cdk deploy`,
 * with the functions' prebuilt bundles (dist/functions, lib/function-code.ts) as their assets, so every
 * function runs from the asset AWS would receive. An assembly is cached under a fingerprint of everything
 * that goes into it (the constructs, the bundles, the pipelines folder; see ./fingerprint.ts): it is
 * rebuilt only when one of them changes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HandlerName } from '../../lib/handler-names';
import { PACKAGE_ROOT } from '../../lib/package-root';
import { constructHash, hashTree } from './fingerprint';
import type { CfnTemplate } from './template';

/** Bumped when the cache's layout or the synthesis options change. */
const CACHE_FORMAT = 'assembly-v3';

/**
 * The functions' code the assembly copies, relative to the package root (the construct code that
 * synthesizes counts through {@link constructHash}).
 */
const BUNDLED_SOURCES = ['dist/functions'];

/** How many assemblies the cache keeps (the newest). */
const KEPT_ASSEMBLIES = 3;

/** One function as the template defines it and the assembly holds its code. */
export interface FunctionAsset {
  readonly handlerName: HandlerName;
  readonly logicalId: string;
  /** The asset folder: what `cdk deploy` zips and uploads as the function's code (`/var/task`). */
  readonly codeDir: string;
  /** The template's `Handler` (`<module>.<export>`). */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The template's `EphemeralStorage` (Lambda's default 512 MB when absent). */
  readonly ephemeralStorageMb: number;
}

/** A synthesized, bundled app. */
export interface LocalAssembly {
  /** The cloud assembly folder (`cdk.out` layout). */
  readonly dir: string;
  readonly template: CfnTemplate;
  /** The state machine definition, plain ASL with placeholder ARNs. */
  readonly definition: Record<string, unknown>;
  readonly logicalIds: Readonly<Record<HandlerName, string>>;
  readonly functions: Readonly<Record<HandlerName, FunctionAsset>>;
  /** True when the assembly came from the cache (no synthesis, no bundling). */
  readonly cached: boolean;
}

interface AssemblyIndex {
  readonly format: string;
  readonly stackName: string;
  readonly logicalIds: Record<HandlerName, string>;
}

const INDEX_FILE = 'local-runner.json';

/** Where assemblies are cached: `BEDROCK_BATCH_CACHE_DIR`, else `node_modules/.cache/bedrock-batch`. */
function assemblyCacheDir(): string {
  return process.env.BEDROCK_BATCH_CACHE_DIR ?? join(PACKAGE_ROOT, 'node_modules', '.cache', 'bedrock-batch');
}

/**
 * The bundled assembly for a pipelines folder: from the cache when its fingerprint matches, else
 * synthesized (a few seconds) and cached.
 *
 * @example const assembly = await loadAssembly('pipelines'); // assembly.functions['submit-job'].codeDir
 */
export async function loadAssembly(pipelinesDir: string): Promise<LocalAssembly> {
  const pipelines = resolve(pipelinesDir);
  const fingerprint = await assemblyFingerprint(pipelines);
  const root = assemblyCacheDir();
  const dir = join(root, fingerprint);
  if (existsSync(join(dir, INDEX_FILE))) {
    const now = new Date();
    await utimes(dir, now, now).catch(() => undefined);
    return readAssembly(dir, true);
  }
  await mkdir(root, { recursive: true });
  const partial = join(root, `${fingerprint}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await synthesizeInto(partial, pipelines);
    await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process published the same fingerprint first: its assembly is identical.
      if (!existsSync(join(dir, INDEX_FILE))) throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  await pruneCache(root);
  return readAssembly(dir, false);
}

/** A hash of everything the assembly is built from. */
async function assemblyFingerprint(pipelinesDir: string): Promise<string> {
  // The folder's contents count, not where it is: a copy of the same pipelines reuses the assembly.
  const hash = createHash('sha256').update(CACHE_FORMAT).update('\0');
  hash.update(`construct ${await constructHash()}\0`);
  for (const source of BUNDLED_SOURCES) hashTree(hash, PACKAGE_ROOT, join(PACKAGE_ROOT, source));
  hash.update('pipelines\0');
  hashTree(hash, pipelinesDir, pipelinesDir);
  return hash.digest('hex').slice(0, 24);
}

async function synthesizeInto(outdir: string, pipelinesDir: string): Promise<void> {
  const validation = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const { synthesizeLocalDefinition } = await import('./asl');
    const synthesized = synthesizeLocalDefinition({ pipeline: { pipelinesDir }, outdir });
    const index: AssemblyIndex = {
      format: CACHE_FORMAT,
      stackName: synthesized.stackName,
      logicalIds: { ...synthesized.logicalIds },
    };
    await writeFile(join(outdir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
  }
}

async function readAssembly(dir: string, cached: boolean): Promise<LocalAssembly> {
  const index = JSON.parse(await readFile(join(dir, INDEX_FILE), 'utf8')) as AssemblyIndex;
  const template = JSON.parse(
    await readFile(join(dir, `${index.stackName}.template.json`), 'utf8'),
  ) as CfnTemplate;
  const { definitionFromTemplate } = await import('./definition');
  const functions = {} as Record<HandlerName, FunctionAsset>;
  for (const [handlerName, logicalId] of Object.entries(index.logicalIds) as [HandlerName, string][]) {
    functions[handlerName] = functionAsset(template, dir, handlerName, logicalId);
  }
  return {
    dir,
    template,
    definition: definitionFromTemplate(template),
    logicalIds: index.logicalIds,
    functions,
    cached,
  };
}

function functionAsset(
  template: CfnTemplate,
  dir: string,
  handlerName: HandlerName,
  logicalId: string,
): FunctionAsset {
  const resource = template.Resources[logicalId] as
    | { Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
    | undefined;
  const assetPath = resource?.Metadata?.['aws:asset:path'];
  if (resource === undefined || typeof assetPath !== 'string') {
    throw new Error(
      `The assembly in ${dir} has no code asset for the ${handlerName} function (${logicalId})`,
    );
  }
  const properties = resource.Properties ?? {};
  const ephemeral = properties.EphemeralStorage as { Size?: number } | undefined;
  return {
    handlerName,
    logicalId,
    codeDir: join(dir, assetPath),
    handler: String(properties.Handler ?? 'index.handler'),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memoryMb: Number(properties.MemorySize ?? 128),
    ephemeralStorageMb: Number(ephemeral?.Size ?? 512),
  };
}

/**
 * Removes assemblies unused for an hour beyond the newest {@link KEPT_ASSEMBLIES} (another process may
 * still be running a recent one), and partial ones left by an interrupted synthesis.
 */
async function pruneCache(root: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  const dated = await Promise.all(
    entries.map(async (name) => ({ name, time: (await stat(join(root, name))).mtimeMs })),
  );
  const idle = (entry: { time: number }) => Date.now() - entry.time > 3_600_000;
  const complete = dated.filter((entry) => !entry.name.includes('.partial-')).sort((a, b) => b.time - a.time);
  const removed = [
    ...dated.filter((entry) => entry.name.includes('.partial-')),
    ...complete.slice(KEPT_ASSEMBLIES),
  ].filter(idle);
  for (const entry of removed) await rm(join(root, entry.name), { recursive: true, force: true });
}
