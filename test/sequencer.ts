/**
 * The order test files start in. Vitest's own order starts the longest files first only when it has the
 * durations of an earlier run, which a fresh clone does not: the end-to-end files, the 5,000-shard state
 * test and the integration files could then start last and leave one core idle while they finish. They
 * start first here, each tier in Vitest's own order (earlier durations, else larger files first).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Path prefixes of the slow files, slowest first; every other file comes after them. */
const SLOW_FIRST = ['test/e2e/', 'test/construct/state-size.test.ts', 'test/integration/'];

/** Starts the slow tiers first (see the file comment). */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const tier = (file: TestSpecification) => {
      const path = relative(file.project.config.root, file.moduleId);
      const index = SLOW_FIRST.findIndex((prefix) => path.startsWith(prefix));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    return sorted.sort((a, b) => tier(a) - tier(b));
  }
}
