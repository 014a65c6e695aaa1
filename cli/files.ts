/**
 * The CLI's local files: input paths checked before any work, an output folder checked (and created)
 * before any work, and a run's files written to a staging folder inside it, then moved in as one set so
 * a reused `--out` never mixes the files of two runs (docs/analyst.md, "Command line").
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage';

/**
 * One sentence for a file-system error (`EISDIR`, `ENOTDIR`, `EACCES`, `ENAMETOOLONG`, ...), naming the
 * path; `undefined` for an error that is not a file-system error.
 *
 * @example fileErrorSentence(Object.assign(new Error(), { code: 'EISDIR' }), 'a') // 'a is a folder, not a file'
 */
export function fileErrorSentence(error: unknown, path?: string): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const where = path ?? (error as { path?: string } | null)?.path ?? 'a file';
  switch (code) {
    case 'ENOENT':
      return `${where} does not exist`;
    case 'EISDIR':
      return `${where} is a folder, not a file`;
    case 'ENOTDIR':
      return `part of the path ${where} is a file, not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied for ${where}`;
    case 'EROFS':
      return `${where} is on a read-only file system`;
    case 'ENAMETOOLONG':
      return `the name ${where.length > 80 ? `${where.slice(0, 77)}...` : where} is too long for this file system`;
    case 'ENOSPC':
      return `no space left on the device of ${where}`;
    case 'EEXIST':
      return `${where} already exists`;
    case 'ELOOP':
      return `${where} is a loop of symbolic links`;
    default:
      return undefined;
  }
}

/**
 * Checks that `path` is a readable file; otherwise a usage error with one sentence.
 *
 * @example requireInputFile('in.csv', 'CSV file')
 */
export function requireInputFile(path: string, what: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
    accessSync(path, constants.R_OK);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      throw new UsageError(`no such ${what}: ${path}`, false);
    throw new UsageError(`${what}: ${fileErrorSentence(error, path) ?? (error as Error).message}`, false);
  }
  if (!isFile) throw new UsageError(`${what} ${path} is a folder, not a file`, false);
}

/**
 * Checks `--out` before any work: creates the folder (and its parents) and proves it writable with a
 * probe file. A path that is a file, not writable or not creatable is a usage error with one sentence.
 */
export function prepareOutDir(path: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) {
      throw new UsageError(`--out ${path} is a file; give a folder (it is created when missing)`, false);
    }
    mkdirSync(path, { recursive: true });
    const probe = join(path, `.bedrock-batch-probe-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const sentence = fileErrorSentence(error) ?? (error as Error).message;
    throw new UsageError(`--out ${path} cannot be written: ${sentence}`, false);
  }
}

/** A staging folder inside the output folder (same file system, so moving files in is a rename). */
interface Staging {
  /** Where the command writes its files. */
  readonly dir: string;
  /**
   * Replaces the output folder's `names` (files or folders of an earlier run) with what was staged:
   * every known name is removed first, then each staged entry is renamed into place.
   */
  publish(names: readonly string[]): string[];
  /** Removes the staging folder (always call it, also after `publish`). */
  discard(): void;
}

/**
 * A staging folder under `outDir` (checked by {@link prepareOutDir} first).
 *
 * @example const s = stage('out'); try { write into s.dir; s.publish(['plan.json']); } finally { s.discard(); }
 */
export function stage(outDir: string): Staging {
  const dir = join(outDir, `.bedrock-batch-staging-${randomBytes(6).toString('hex')}`);
  mkdirSync(dir);
  return {
    dir,
    publish(names) {
      const staged = new Set(readdirSync(dir));
      for (const name of names) rmSync(join(outDir, name), { recursive: true, force: true });
      const moved: string[] = [];
      for (const name of names) {
        if (!staged.has(name)) continue;
        renameSync(join(dir, name), join(outDir, name));
        moved.push(name);
      }
      return moved;
    },
    discard() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
