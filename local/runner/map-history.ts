/**
 * History events per execution when the definition has Distributed Maps. Locally every Map's iterations
 * run inline in one interpreter, but in AWS each iteration of a Distributed Map is a child execution with
 * its own history: the parent records only MapStateEntered, MapRunStarted, MapRunSucceeded and
 * MapStateExited for the Map, whatever the number of items. Iteration events carry the item's index; they
 * are a child's when the Map they run in is distributed, and the parent's when it is inline.
 */
import type { ExecutionEvent } from './execution';
import { historyEventsFor } from './history';
import type { AslDefinition } from './tasks';

interface MapState {
  readonly Type: string;
  readonly ItemProcessor?: { readonly ProcessorConfig?: { readonly Mode?: string } };
}

/** Names of the definition's top-level Map states that run distributed. */
export function distributedMaps(definition: AslDefinition): Set<string> {
  return new Set(
    Object.entries(definition.States as Readonly<Record<string, MapState>>)
      .filter(
        ([, state]) => state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED',
      )
      .map(([name]) => name),
  );
}

/** Running counts of the parent's history and of each child's. */
export class DistributedMapHistory {
  private readonly distributed: Set<string>;
  private parentEvents = 0;
  private readonly childEvents = new Map<string, number>();
  private openMap: string | undefined;

  constructor(definition: AslDefinition) {
    this.distributed = distributedMaps(definition);
  }

  /** Events in the parent execution's history. */
  get parent(): number {
    return this.parentEvents;
  }

  /** Events in each child execution's history (its start and end included), by `<map>#<item index>`. */
  get children(): ReadonlyMap<string, number> {
    return this.childEvents;
  }

  /** The longest child history. */
  get largestChild(): number {
    return Math.max(0, ...this.childEvents.values());
  }

  /** What a single execution would record if every Map were inline: the parent's events and every child's. */
  get inline(): number {
    let total = this.parentEvents;
    for (const events of this.childEvents.values()) total += events;
    return total;
  }

  /** Adds one interpreter event (MapIterationStarted/Succeeded stand for the child's start and end). */
  add(event: ExecutionEvent): void {
    const events = historyEventsFor(event);
    if (event.index === undefined) {
      if (event.state?.type === 'Map' && event.type === 'StateEntered') this.openMap = event.state.name;
      this.parentEvents += events;
      return;
    }
    if (this.openMap === undefined || !this.distributed.has(this.openMap)) {
      this.parentEvents += events;
      return;
    }
    const child = `${this.openMap}#${event.index}`;
    this.childEvents.set(child, (this.childEvents.get(child) ?? 0) + events);
  }
}
