/** In-memory sinks, for tests and small tools: every closed object's text by key. */
import type { Sink, SinkFactory } from './sink';

/** A sink factory that keeps what was written; `objects` holds closed objects, `aborted` the discarded keys. */
export interface MemorySinks extends SinkFactory {
  readonly objects: Map<string, string>;
  readonly aborted: string[];
}

/**
 * Memory sinks; `failOn` makes writes to keys matching it throw (to test cleanup).
 *
 * @example const sinks = memorySinks(); sinks.objects.get('plan.json')
 */
export function memorySinks(failOn?: RegExp): MemorySinks {
  const objects = new Map<string, string>();
  const aborted: string[] = [];
  return {
    objects,
    aborted,
    open(key): Sink {
      const parts: string[] = [];
      return {
        async write(chunk) {
          if (failOn?.test(key)) throw new Error(`write to ${key} failed`);
          parts.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        },
        // Each chunk is copied into a string as it is written.
        released: async () => undefined,
        async close() {
          objects.set(key, parts.join(''));
        },
        async abort() {
          aborted.push(key);
        },
      };
    },
  };
}
