/** Local files as sinks, for the CLI: `<dir>/<key>`, folders created as needed. */
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Sink, SinkFactory } from './sink';

function opened(stream: WriteStream, path: string): Sink {
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (!stream.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const onDrain = () => {
            stream.off('error', onError);
            resolve();
          };
          const onError = (error: Error) => {
            stream.off('drain', onDrain);
            reject(error);
          };
          stream.once('drain', onDrain);
          stream.once('error', onError);
        });
      }
    },
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
      return opened(createWriteStream(path, { highWaterMark: 1 << 20 }), path);
    },
  };
}
