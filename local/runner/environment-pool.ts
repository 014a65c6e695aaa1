/**
 * Warm Lambda execution environments kept between local stacks that follow each other in one process
 * (the end-to-end tests start dozens): starting one costs a worker thread, loading and compiling the
 * function's bundle and its first SDK calls. A stack's idle environments are handed over when it closes and
 * given to a later stack only for the same function with exactly the same variables (same bundle, same
 * endpoints, same overrides), as Lambda reuses a warm environment only for the same function configuration.
 * Their `/tmp` is emptied when handed over; module-scope state (SDK clients) survives, as on Lambda.
 * Idle pooled environments do not keep the process running.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionAsset } from './assembly';
import type { Environment } from './lambda-environment';

/** Idle environments by function configuration; {@link close} ends them all. */
export class EnvironmentPool {
  /** The folder under which pooled environments keep their `/tmp` folders. */
  readonly tmpRoot: string;
  private readonly idle = new Map<string, Environment[]>();

  /** @param parentDir where {@link tmpRoot} is made. @default TMPDIR, else /tmp */
  constructor(parentDir = process.env.TMPDIR ?? '/tmp') {
    this.tmpRoot = mkdtempSync(join(parentDir, 'bedrock-batch-lambda-pool-'));
  }

  /** An idle environment for `fn` with exactly `variables`, if one was handed over. */
  take(fn: FunctionAsset, variables: Readonly<Record<string, string>>): Environment | undefined {
    const list = this.idle.get(configurationKey(fn, variables));
    for (let environment = list?.pop(); environment !== undefined; environment = list?.pop()) {
      if (!environment.alive) continue;
      environment.keepsProcessAlive = true;
      return environment;
    }
    return undefined;
  }

  /** Keeps an idle environment (its `/tmp` emptied) for a later stack. */
  async put(environment: Environment, variables: Readonly<Record<string, string>>): Promise<void> {
    await rm(environment.tmpDir, { recursive: true, force: true });
    await mkdir(environment.tmpDir, { recursive: true });
    environment.keepsProcessAlive = false;
    const key = configurationKey(environment.fn, variables);
    this.idle.set(key, [...(this.idle.get(key) ?? []), environment]);
  }

  /** Ends every pooled environment and removes their folders. */
  async close(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((environment) => environment.terminate()));
    await rm(this.tmpRoot, { recursive: true, force: true });
  }
}

function configurationKey(fn: FunctionAsset, variables: Readonly<Record<string, string>>): string {
  const sorted = Object.entries(variables).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([fn, sorted]);
}
