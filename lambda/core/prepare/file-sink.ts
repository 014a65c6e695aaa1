/** Local files as sinks, for the CLI: `<dir>/<key>`, folders created as needed. */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Sink, SinkFactory } from './sink';

/**
 * Bytes a file may have queued before `write` waits. Prepare writes 2-3 MB per shard and sidecar per
 * 1 MB input chunk; at 1 MB every such write waited for the disk write before the next chunk was
 * parsed (about a quarter of the run's wall time idle). At 16 MB the writes overlap the parsing, and
 * back-pressure still holds when the disk is the slower side.
 */
const QUEUED_BYTES = 16 << 20;

function opened(stream: WriteStream, path: string): Sink {
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  // Settles when the stream is done with the last chunk (written, or dropped by a failure); the stream
  // writes in order, so with every chunk before it too.
  let last = Promise.resolve();
  return {
    async write(chunk) {
      if (failure) throw failure;
      let queued = true;
      last = new Promise<void>((resolve) => {
        queued = stream.write(chunk, () => resolve());
      });
      // Rejects if the stream errors while waiting.
      if (!queued) await once(stream, 'drain');
    },
    released: () => last,
    async close() {
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
    },
    async abort() {
      stream.destroy();
      rmSync(path, { force: true });
    },
  };
}

/**
 * Sinks writing files under `dir`.
 *
 * @example fileSinks('out').open('plan.json', 'application/json')
 */
export function fileSinks(dir: string): SinkFactory {
  return {
    open(key) {
      const path = join(dir, key);
      mkdirSync(dirname(path), { recursive: true });
      return opened(createWriteStream(path, { highWaterMark: QUEUED_BYTES }), path);
    },
  };
}
