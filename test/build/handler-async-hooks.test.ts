/**
 * The handler bundles as `cdk deploy` ships them (dist/functions/<handler>/index.mjs) load the X-Ray SDK
 * only when the stack asks for SDK tracing (`traceSdkCalls`, `POWERTOOLS_TRACE_ENABLED=true`). The X-Ray SDK
 * creates its `AWSXRay` namespace at import, with async hooks that make every `await` of the process several
 * times slower (bench/RESULTS.md, Collect through S3): no handler may pay that unless tracing was asked for.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const functions = join(import.meta.dirname, '..', '..', 'dist', 'functions');
const handlers = readdirSync(functions).sort();

/**
 * Imports the bundles one after the other in one plain node process and returns the hook namespaces the
 * process has after each (a namespace stays once made, so the first handler that made one is named).
 */
async function namespacesAfterImport(
  tracing: string,
  names: readonly string[] = handlers,
): Promise<Record<string, string[]>> {
  const script = `
    const seen = {};
    for (const name of ${JSON.stringify(names)}) {
      await import(${JSON.stringify(`${functions}/`)} + name + '/index.mjs');
      seen[name] = Object.keys(process.namespaces ?? {});
    }
    process.stdout.write(JSON.stringify(seen));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '', POWERTOOLS_TRACE_ENABLED: tracing },
  });
  return JSON.parse(stdout) as Record<string, string[]>;
}

describe('the shipped handler bundles and the X-Ray SDK', () => {
  it('are all here (one per pipeline function)', () => {
    expect(handlers).toContain('collect-results');
    expect(handlers.length).toBeGreaterThanOrEqual(10);
  });

  it('install no async hooks when SDK tracing is off (the default)', async () => {
    const seen = await namespacesAfterImport('false');
    expect(seen).toEqual(Object.fromEntries(handlers.map((name) => [name, []])));
  });

  it('load the tracer, and with it the X-Ray SDK, when SDK tracing is on', async () => {
    expect(await namespacesAfterImport('true', ['collect-results'])).toEqual({
      'collect-results': ['AWSXRay'],
    });
  });
});
