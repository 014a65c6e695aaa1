import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../local/runner/execution';
import { DistributedMapHistory, distributedMaps } from '../../../local/runner/map-history';
import type { AslDefinition } from '../../../local/runner/tasks';

const lifecycle: AslDefinition = { StartAt: 'Work', States: { Work: { Type: 'Task' } } };
const definition = (mode: 'DISTRIBUTED' | 'INLINE'): AslDefinition =>
  ({
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Task' },
      Jobs: { Type: 'Map', ItemProcessor: { ...lifecycle, ProcessorConfig: { Mode: mode } } },
    },
  }) as unknown as AslDefinition;

const state = (name: string, type: string) => ({ name, type });
const at = (event: Omit<ExecutionEvent, 'timestamp'>): ExecutionEvent => ({ timestamp: 0, ...event });

/** A run: a Task, then a Map of `items` iterations of one Task each. */
function run(items: number): ExecutionEvent[] {
  const events = [
    at({ type: 'ExecutionStarted' }),
    at({ type: 'StateEntered', state: state('Prepare', 'Task') }),
    at({ type: 'StateExited', state: state('Prepare', 'Task') }),
    at({ type: 'StateEntered', state: state('Jobs', 'Map') }),
  ];
  for (let index = 0; index < items; index += 1) {
    events.push(
      at({ type: 'MapIterationStarted', index }),
      at({ type: 'StateEntered', index, state: state('Work', 'Task') }),
      at({ type: 'StateExited', index, state: state('Work', 'Task') }),
      at({ type: 'MapIterationSucceeded', index }),
    );
  }
  events.push(at({ type: 'StateExited', state: state('Jobs', 'Map') }), at({ type: 'ExecutionSucceeded' }));
  return events;
}

function count(mode: 'DISTRIBUTED' | 'INLINE', items: number): DistributedMapHistory {
  const history = new DistributedMapHistory(definition(mode));
  for (const event of run(items)) history.add(event);
  return history;
}

describe('history per execution with a Distributed Map', () => {
  it('finds the distributed Map states', () => {
    expect([...distributedMaps(definition('DISTRIBUTED'))]).toEqual(['Jobs']);
    expect([...distributedMaps(definition('INLINE'))]).toEqual([]);
  });

  it('gives each item of a distributed Map its own history and keeps the parent constant', () => {
    const one = count('DISTRIBUTED', 1);
    const many = count('DISTRIBUTED', 50);

    // Parent: start 1, Prepare 5, the Map 4, end 1. Child: start 1, Work 5, end 1.
    expect(one.parent).toBe(11);
    expect(many.parent).toBe(11);
    expect(many.children.size).toBe(50);
    expect(many.largestChild).toBe(7);
    expect(many.inline).toBe(11 + 50 * 7);
  });

  it('counts an inline Map in the parent', () => {
    const many = count('INLINE', 50);

    expect(many.children.size).toBe(0);
    expect(many.parent).toBe(11 + 50 * 7);
    expect(many.inline).toBe(many.parent);
  });
});
