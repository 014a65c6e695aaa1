import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/sequencer';

/**
 * Test files that change what other files would see: SDK clients mocked with aws-sdk-client-mock (a
 * prototype patch), handler modules loaded under stubbed or assigned variables, a module replaced with
 * `vi.mock`. Each runs in a fresh process.
 */
const STATEFUL_FILES = [
  'test/unit/deadline/check-job-deadline.test.ts',
  'test/unit/job/check-job.test.ts',
  'test/unit/job/stop-jobs.test.ts',
  'test/unit/job/submit-job.test.ts',
  'test/unit/prepare/handler.test.ts',
  'test/unit/prepare/run-size-refusal.test.ts',
  'test/integration/collect/handler.test.ts',
  'test/integration/job/record-failure.test.ts',
  'test/integration/job/start-run.test.ts',
  'test/integration/runtime-emulator/on-demand-handler.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    // The SDK's notice that releases after January 2027 need Node 22: versions are pinned, so it is noise here.
    // BEDROCK_BATCH_EMULATOR_MIN_RECORDS lowers Bedrock's batch minimum (100) for the local emulator only, so
    // test pipelines (test/fixtures/e2e) may ask for a few records per job; the e2e tests give the emulator
    // the same minimum. Tests of the real minimum pass their own environment (docs/pipelines.md).
    // CDK_VALIDATION=false: aws-cdk-lib's built-in CloudFormation validation (a WebAssembly engine, about 3 s
    // of CPU per synthesis) only warns outside `cdk synth`, so no test can fail on it; local/runner/assembly.ts
    // turns it off the same way.
    env: {
      CDK_VALIDATION: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BEDROCK_BATCH_EMULATOR_MIN_RECORDS: '1',
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core. Vitest's default (cores - 1) ran the files one at a time on a 2-core machine,
    // while the end-to-end files spend part of their time waiting on worker threads and sockets.
    maxWorkers: Math.max(2, availableParallelism()),
    allowOnly: false,
    passWithNoTests: false,
    sequence: { sequencer: SlowFirstSequencer },
    // Two projects. "shared" (every file but the stateful ones) runs its files one after the other in the
    // same process per core (`isolate: false`): aws-cdk-lib, the SDK and the local runner load once per core
    // instead of once per file, about a second of CPU each. Slow files start first (test/sequencer.ts).
    projects: [
      { extends: true, test: { name: 'isolated', include: STATEFUL_FILES } },
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: STATEFUL_FILES, isolate: false },
      },
    ],
  },
});
