import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const types = join(root, 'dist', 'types');

/** How a TypeScript app that resolves like Node's ES modules (the package is `"type": "module"`) sees it. */
const nodeNext: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
};

/** Where `specifier` in `fromFile` leads, resolved as an ES module import (every file here is one). */
function resolved(specifier: string, fromFile: string): string | undefined {
  const esm = ts.ModuleKind.ESNext;
  return ts.resolveModuleName(specifier, fromFile, nodeNext, ts.sys, undefined, undefined, esm).resolvedModule
    ?.resolvedFileName;
}

/** The relative module specifiers of a declaration file, as TypeScript's own scanner finds them. */
function relativeImports(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}

describe('the declaration files (dist/types, built by npm ci)', () => {
  it('give an app resolving with nodenext the package types by its name', () => {
    // A file of this package importing it by name: Node's self-reference through `exports`.
    expect(resolved('bedrock-batch-pipeline', join(root, 'app.mts'))).toBe(join(types, 'lib', 'index.d.ts'));
  });

  it('import each other with specifiers nodenext resolves (an extensionless one would make every type any)', () => {
    const files = readdirSync(types, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.d.ts'))
      .map((name) => join(types, name));
    const unresolved: string[] = [];
    let imports = 0;
    for (const file of files) {
      for (const specifier of relativeImports(file)) {
        imports++;
        if (resolved(specifier, file)?.endsWith('.d.ts') !== true) unresolved.push(`${file}: ${specifier}`);
      }
    }
    // The scan saw the package's declarations and their imports (58 files and 58 imports on 2026-12-02).
    expect(files.length).toBeGreaterThan(10);
    expect(imports).toBeGreaterThan(files.length / 2);
    expect(unresolved).toEqual([]);
  });
});
