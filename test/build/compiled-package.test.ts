import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockBatchPipeline } from '../../lib/pipeline';

const root = join(import.meta.dirname, '..', '..');
const appFile = join(root, 'test', 'fixtures', 'plain-js-app', 'app.mjs');

interface Template {
  Resources: Record<string, { Type: string }>;
}

/** The same app as the fixture, synthesized from the TypeScript sources in this process. */
function sourceTemplate(outdir: string): Template {
  const app = new App({ outdir });
  const stack = new Stack(app, 'PlainJsApp', { env: { account: '123456789012', region: 'us-east-1' } });
  new BedrockBatchPipeline(stack, 'Pipeline', {});
  return app.synth().getStackByName('PlainJsApp').template as Template;
}

describe('the compiled package (dist/, built by npm ci)', () => {
  let dir: string;
  let run: { stdout: string; stderr: string };
  let source: Template;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plain-js-app-'));
    // A plain node process: no TypeScript loader, only the package's compiled JavaScript.
    run = await promisify(execFile)(process.execPath, [appFile, join(dir, 'compiled')], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    source = sourceTemplate(join(dir, 'source'));
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lets a plain JavaScript CDK app import BedrockBatchPipeline by the package name, from dist/', () => {
    // CDK's own progress line for the one asset assembled at synthesis (Prepare: bundle + pipelines) only.
    const stderr = run.stderr
      .split('\n')
      .filter((line) => line !== '' && !/^Bundling asset \S+\.\.\.$/.test(line));
    expect(stderr).toEqual([]);
    const { resolved } = JSON.parse(run.stdout) as { resolved: string };
    expect(fileURLToPath(resolved)).toBe(join(root, 'dist', 'index.js'));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      exports: Record<string, { import: string; types: string }>;
    };
    expect(pkg.main).toMatch(/^dist\/.*\.js$/);
    expect(pkg.exports['.']?.import).toMatch(/^\.\/dist\/.*\.js$/);
    expect(pkg.types).toMatch(/^dist\/.*\.d\.ts$/);
    expect(pkg.exports['.']?.types).toBe(`./${pkg.types}`);
  });

  it('synthesizes the same template as the TypeScript sources', () => {
    const compiled = JSON.parse(
      readFileSync(join(dir, 'compiled', 'PlainJsApp.template.json'), 'utf8'),
    ) as Template;
    const types = Object.values(compiled.Resources).map((resource) => resource.Type);
    expect(types).toContain('AWS::StepFunctions::StateMachine');
    expect(types.filter((type) => type === 'AWS::Lambda::Function').length).toBeGreaterThanOrEqual(10);
    expect(compiled).toEqual(source);
  });

  it('ships the handler bundles npm ci built (dist/functions), byte for byte, with the pipelines in Prepare', () => {
    const assembly = join(dir, 'compiled');
    const assets = readdirSync(assembly).filter((name) => name.startsWith('asset.'));
    const shipped = assets.map((asset) => readFileSync(join(assembly, asset, 'index.mjs'), 'utf8')).sort();
    const built = readdirSync(join(root, 'dist', 'functions'))
      .map((name) => readFileSync(join(root, 'dist', 'functions', name, 'index.mjs'), 'utf8'))
      .sort();
    expect(built).toHaveLength(10);
    expect(shipped).toEqual(built);
    const withPipelines = assets.filter((asset) => readdirSync(join(assembly, asset)).includes('pipelines'));
    expect(withPipelines).toHaveLength(1);
    expect(readdirSync(join(assembly, withPipelines[0] as string, 'pipelines'))).toContain('qa-auditor.json');
  });
});
