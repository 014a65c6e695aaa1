/**
 * docs/design.md's state table ("State machine contract (JSONPath)") against the synthesized definition:
 * every state, those inside Maps included, has a row; every row names a state; the type column and the
 * `↳` nesting agree with the definition.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStack } from './fixture';

const DESIGN = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'design.md'), 'utf8');
const SECTION = '## State machine contract (JSONPath)';
const SNS_PUBLISH = 'arn:aws:states:::sns:publish';

/** One state as the definition has it. */
interface DefinedState {
  readonly type: string;
  /** The Map (or Parallel) whose iteration holds it; undefined at the top level. */
  readonly parent: string | undefined;
  /** A Map's processor mode. */
  readonly mode?: string;
  readonly resource?: string;
}

/** One row of the table. */
interface TableRow {
  readonly name: string;
  /** The type column. */
  readonly type: string;
  /** The nearest row above with one `↳` fewer; undefined for a top-level row. */
  readonly parent: string | undefined;
}

interface RawState {
  Type: string;
  Resource?: string;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, RawState> };
  Iterator?: { States: Record<string, RawState> };
  Branches?: { States: Record<string, RawState> }[];
}

/** Every state of the definition by name, walking into Map iterations and Parallel branches. */
function definedStates(states: Record<string, RawState>, parent?: string): Map<string, DefinedState> {
  const found = new Map<string, DefinedState>();
  for (const [name, state] of Object.entries(states)) {
    const processor = state.ItemProcessor ?? state.Iterator;
    found.set(name, {
      type: state.Type,
      parent,
      ...(state.Type === 'Map' ? { mode: state.ItemProcessor?.ProcessorConfig?.Mode ?? 'INLINE' } : {}),
      ...(state.Resource === undefined ? {} : { resource: state.Resource }),
    });
    const inner = [...(processor ? [processor.States] : []), ...(state.Branches ?? []).map((b) => b.States)];
    for (const nested of inner) for (const [key, value] of definedStates(nested, name)) found.set(key, value);
  }
  return found;
}

/** The table's rows: first column (without its `↳` marks) and second column. */
function tableRows(markdown: string): TableRow[] {
  const start = markdown.indexOf(SECTION);
  if (start < 0) throw new Error(`docs/design.md has no "${SECTION}" section`);
  const next = markdown.indexOf('\n## ', start + SECTION.length);
  const lines = markdown.slice(start, next < 0 ? undefined : next).split('\n');
  const table = lines.filter((line) => line.startsWith('|')).slice(2); // header and separator
  const parents: string[] = [];
  return table.map((line) => {
    const [first = '', type = ''] = line.split('|').slice(1, 3);
    const depth = (first.match(/↳/g) ?? []).length;
    const name = first.replaceAll('↳', '').trim();
    parents.length = depth;
    const row = { name, type: type.trim(), parent: depth === 0 ? undefined : parents[depth - 1] };
    parents[depth] = name;
    return row;
  });
}

/** What the type column's first words say about the state, or undefined when they name no type. */
function expectedFrom(typeColumn: string, lambdaArns: ReadonlySet<string>) {
  const word = /^(Distributed Map|SNS publish|Lambda|Map|Choice|Pass|Wait|Succeed|Fail|Parallel|Task)\b/.exec(
    typeColumn,
  )?.[1];
  switch (word) {
    case undefined:
      return undefined;
    case 'Distributed Map':
      return (s: DefinedState) => s.type === 'Map' && s.mode === 'DISTRIBUTED';
    case 'Map':
      return (s: DefinedState) => s.type === 'Map' && s.mode === 'INLINE';
    case 'Lambda':
      return (s: DefinedState) => s.type === 'Task' && s.resource !== undefined && lambdaArns.has(s.resource);
    case 'SNS publish':
      return (s: DefinedState) => s.type === 'Task' && s.resource === SNS_PUBLISH;
    default:
      return (s: DefinedState) => s.type === word;
  }
}

/** Every disagreement between the table and the definition, as sentences (empty when they agree). */
function drift(
  markdown: string,
  states: Map<string, DefinedState>,
  lambdaArns: ReadonlySet<string>,
): string[] {
  const rows = tableRows(markdown);
  const problems: string[] = [];
  const named = new Set<string>();
  for (const row of rows) {
    if (named.has(row.name)) problems.push(`"${row.name}" has two rows`);
    named.add(row.name);
    const state = states.get(row.name);
    if (state === undefined) {
      problems.push(`"${row.name}" is in the table but not in the definition`);
      continue;
    }
    const matches = expectedFrom(row.type, lambdaArns);
    if (matches === undefined)
      problems.push(`"${row.name}": the type column "${row.type}" names no state type`);
    else if (!matches(state))
      problems.push(`"${row.name}": the table says "${row.type}", the definition ${state.type}`);
    if (state.parent !== row.parent) {
      problems.push(
        `"${row.name}" is inside ${state.parent ?? 'no Map'}, the table puts it in ${row.parent ?? 'none'}`,
      );
    }
  }
  for (const name of states.keys()) {
    if (!named.has(name)) problems.push(`"${name}" is in the definition but not in the table`);
  }
  return problems;
}

const { definition, functionArns } = defaultStack();
const states = definedStates(definition.States as Record<string, RawState>);
const lambdaArns = new Set(Object.values(functionArns));

describe('docs/design.md state table', () => {
  it('names every state of the synthesized definition, with its type and its Map', () => {
    expect(states.get('Submit retry job')?.parent).toBe('Retry batch jobs'); // the walk enters Maps
    expect(drift(DESIGN, states, lambdaArns)).toEqual([]);
  });

  it('reports a renamed row, a wrong type and a state moved out of its Map', () => {
    const renamed = DESIGN.replace('| ↳ Check job |', '| ↳ Check the job |');
    expect(drift(renamed, states, lambdaArns)).toEqual([
      '"Check the job" is in the table but not in the definition',
      '"Check job" is in the definition but not in the table',
    ]);
    const retyped = DESIGN.replace('| Run on demand | Map ', '| Run on demand | Distributed Map ');
    expect(drift(retyped, states, lambdaArns)).toEqual([
      expect.stringContaining('"Run on demand": the table says "Distributed Map'),
    ]);
    const unnested = DESIGN.replace('| ↳ Wait for job |', '| Wait for job |');
    expect(drift(unnested, states, lambdaArns)).toEqual([
      expect.stringContaining('"Wait for job" is inside Run batch jobs'),
      // The rows under it now belong to it, as the table reads.
      ...['Check job', 'Job finished?', 'Job done', 'Submit failed', 'Job failed', 'Record job result'].map(
        (name) =>
          expect.stringContaining(`"${name}" is inside Run batch jobs, the table puts it in Wait for job`),
      ),
    ]);
  });
});
