/**
 * A constant-time queue for aws-local-stepfunctions 3.0.0's root event log. The library keeps an
 * execution's events in an array that its `getEvents()` empties with `Array.prototype.shift`; a Map of
 * thousands of items queues tens of thousands of events faster than a consumer takes them, and once such an
 * array is large V8 copies it on every `shift` (quadratic: 12 s of CPU for 5,000 shards). The library
 * exports `StateMachine` but not its `EventLogger`: {@link withEventQueue} subclasses the machine and gives
 * the root logger this queue as the execution starts (its `execute` receives the logger). The members used
 * are the library's internals (`eventLogger`, `eventQueue`), which is why the version is pinned exactly.
 */

/** The array members the library's event logger uses: `push`, `shift` and `length`. */
export class EventQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): number {
    this.items.push(item);
    return this.length;
  }

  /** The oldest item, or `undefined` when empty; the consumed front is dropped once it is half the array. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

interface LoggerInternals {
  eventQueue?: { length: number; shift(): unknown };
}

// biome-ignore lint/suspicious/noExplicitAny: the library's constructor type, whatever its arguments.
type MachineClass = new (...args: any[]) => object;

/**
 * `StateMachine` whose executions keep their root event log in an {@link EventQueue} (the nested Map and
 * Parallel executions the library creates keep short arrays of their own).
 */
export function withEventQueue<C extends MachineClass>(StateMachine: C): C {
  class QueuedStateMachine extends StateMachine {
    execute(input: unknown, options: { eventLogger?: LoggerInternals }, ...rest: unknown[]): unknown {
      const logger = options.eventLogger;
      if (logger !== undefined && Array.isArray(logger.eventQueue)) {
        const queue = new EventQueue<unknown>();
        for (const event of logger.eventQueue) queue.push(event);
        logger.eventQueue = queue;
      }
      const execute = (StateMachine.prototype as { execute: (...args: unknown[]) => unknown }).execute;
      return execute.call(this, input, options, ...rest);
    }
  }
  return QueuedStateMachine;
}
