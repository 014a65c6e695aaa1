#!/usr/bin/env node
// `npm test`: biome (lint and format), tsc (types) and vitest at the same time, each one's output printed
// whole when it ends; the exit code is the first failure's. Run one after the other they would leave a
// core idle while tsc or biome runs alone; vitest's own files spread over the cores (vitest.config.ts).
// Arguments go to vitest (`npm test -- test/unit`).
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const steps = [
  ['lint', bin('biome'), ['check', '.']],
  ['typecheck', bin('tsc'), ['--noEmit']],
  ['vitest', bin('vitest'), ['run', ...process.argv.slice(2)]],
];

const started = performance.now();
const results = await Promise.all(
  steps.map(
    ([name, command, args]) =>
      new Promise((done) => {
        // vitest prints as it goes (its progress is the long part); the others print when they end.
        const live = name === 'vitest';
        const child = spawn(command, args, { cwd: root, stdio: live ? 'inherit' : 'pipe' });
        const output = [];
        child.stdout?.on('data', (chunk) => output.push(chunk));
        child.stderr?.on('data', (chunk) => output.push(chunk));
        child.on('close', (code) => {
          if (!live) process.stdout.write(`\n> ${name}\n${Buffer.concat(output).toString()}`);
          done({ name, code: code ?? 1 });
        });
      }),
  ),
);
const failed = results.filter((result) => result.code !== 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `\nnpm test: ${failed.length === 0 ? 'passed' : `failed (${failed.map((f) => f.name).join(', ')})`} in ${seconds} s\n`,
);
process.exitCode = failed[0]?.code ?? 0;
