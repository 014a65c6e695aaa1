import { StateMachine } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventQueue, withEventQueue } from '../../../local/runner/event-queue';

afterEach(() => vi.restoreAllMocks());

describe('the event queue of the local interpreter', () => {
  it('gives items back in order, across the compactions of its consumed front', () => {
    const queue = new EventQueue<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      queue.push(i);
      if (i % 3 === 0) out.push(queue.shift() as number);
    }
    expect(queue.length).toBe(5000 - out.length);
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it("holds the root execution's events, every one delivered in order, Map iterations included", async () => {
    const push = vi.spyOn(EventQueue.prototype, 'push');
    const Machine = withEventQueue(StateMachine);
    const machine = new Machine(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { validationOptions: { checkArn: false } },
    );
    const items = Array.from({ length: 2000 }, (_, i) => i);
    const execution = machine.run(items);
    const types: string[] = [];
    for await (const event of execution.eventLogs) types.push(event.type);

    expect(await execution.result).toEqual(items);
    expect(push).toHaveBeenCalledTimes(types.length);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types.filter((type) => type === 'MapIterationSucceeded')).toHaveLength(2000);
  });
});
