/** Injected failures of the runtime calls: a queue of error types, then a seeded throttling rate. */
import type { Faults } from '../../faults';
import { hash32 } from '../random';

/** Decides, call by call, whether a runtime request fails and with which error type. */
export class RuntimeFaults {
  private readonly queue: string[];
  private readonly sends = new Map<number, number>();

  constructor(
    private readonly faults: Faults,
    private readonly seed: number,
  ) {
    this.queue = [...(faults.runtimeErrors ?? [])];
  }

  /**
   * The error type for this call, or `undefined` when it succeeds. `runtimeErrors` come first, one per
   * call; then a body's n-th send fails with ThrottlingException when its hash falls below the rate.
   */
  next(modelId: string, bodyText: string): string | undefined {
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    const rate = this.faults.runtimeErrorRate ?? 0;
    if (rate <= 0) return undefined;
    const body = hash32(modelId, bodyText);
    const send = (this.sends.get(body) ?? 0) + 1;
    this.sends.set(body, send);
    return hash32(this.seed, 'runtime', body, send) / 2 ** 32 < rate ? 'ThrottlingException' : undefined;
  }
}
