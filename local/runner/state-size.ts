/**
 * Step Functions' limit on the data a state takes and gives: 256 KiB of UTF-8 JSON for a state's input and
 * output and a task's result. Past it an execution fails with `States.DataLimitExceeded`, which no
 * `States.ALL` Catch can catch, so a design that would break at scale on AWS breaks here first.
 */

/** The largest input or output of a state that Step Functions accepts, in bytes. */
const MAX_STATE_BYTES = 256 * 1024;

/** The largest state an execution has seen so far. */
export interface LargestState {
  readonly bytes: number;
  /** `<state name> input` or `<state name> output`. */
  readonly where: string;
}

/** Measures every state's data of one execution and remembers the largest. */
export class StateSizeMonitor {
  private largestSeen: LargestState = { bytes: 0, where: '' };
  private exceeded: Error | undefined;

  get largest(): LargestState {
    return this.largestSeen;
  }

  /** The `States.DataLimitExceeded` error, once a state went over the limit. */
  get violation(): Error | undefined {
    return this.exceeded;
  }

  /** Measures `value`; returns the error to fail the execution with when it is over the limit. */
  measure(state: string, kind: 'input' | 'output', value: unknown): Error | undefined {
    const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
    if (bytes > this.largestSeen.bytes) this.largestSeen = { bytes, where: `${state} ${kind}` };
    if (bytes <= MAX_STATE_BYTES || this.exceeded !== undefined) return undefined;
    const error = new Error(
      `The state '${state}' has an ${kind} of ${bytes} bytes, over Step Functions' limit of ${MAX_STATE_BYTES} bytes.`,
    );
    error.name = 'States.DataLimitExceeded';
    this.exceeded = error;
    return error;
  }
}
