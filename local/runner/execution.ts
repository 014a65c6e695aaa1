/**
 * Runs executions of the synthesized definition with aws-local-stepfunctions: tasks bound to local
 * handlers, Wait states and retry intervals compressed to milliseconds (the simulated clock jumps by
 * their nominal duration), and every library event forwarded to listeners.
 */
import type { SimulatedClock } from './clock';
import { withEventQueue } from './event-queue';
import type { LaunchExecution } from './sfn-endpoint';
import { type LargestState, StateSizeMonitor } from './state-size';
import type { AslDefinition, LocalTask } from './tasks';
import { allStates, timedStates } from './tasks';

/** One event of the library's execution event log, as far as the runner reads it. */
export interface ExecutionEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly index?: number;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input?: unknown;
    readonly output?: unknown;
  };
  readonly retry?: { readonly retrier: Retrier; readonly attempt: number };
  readonly Error?: string;
  readonly Cause?: unknown;
}

interface Retrier {
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

/** Options of {@link createLauncher}. */
interface LauncherOptions {
  readonly definition: AslDefinition;
  readonly stateMachineArn: string;
  readonly tasks: Readonly<Record<string, LocalTask>>;
  readonly clock: SimulatedClock;
  /** Real milliseconds a Wait state lasts. @default 5 */
  readonly waitMs?: number;
  /**
   * Real milliseconds before a retry, per second of the retrier's nominal `IntervalSeconds`, between 1 and
   * 50 ms. Long backoffs (waiting for Bedrock capacity) keep some real time, so that jobs in other
   * iterations can finish meanwhile. @default 0.5
   */
  readonly retryMsPerSecond?: number;
  /** Called with each event, in order, with the execution's name. */
  readonly onEvent?: (event: ExecutionEvent, execution: string) => void;
  /** Filled with each execution's largest state (by execution name) as it runs. */
  readonly largestStates?: Map<string, LargestState>;
}

type Library = typeof import('aws-local-stepfunctions');

let library: Promise<Library> | undefined;

/**
 * Definitions the library has validated in this process (as JSON): its validator compiles its JSON schemas
 * anew at every `StateMachine` (about 0.2–0.7 s of CPU), and each local stack builds one.
 */
const validDefinitions = new Set<string>();

/** Imports aws-local-stepfunctions, after polyfilling what it needs on Node 20. */
function loadLibrary(): Promise<Library> {
  if (!('withResolvers' in Promise)) {
    Object.defineProperty(Promise, 'withResolvers', {
      configurable: true,
      writable: true,
      value<T>() {
        let resolve!: (value: T | PromiseLike<T>) => void;
        let reject!: (reason?: unknown) => void;
        const promise = new Promise<T>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        return { promise, resolve, reject };
      },
    });
  }
  library ??= import('aws-local-stepfunctions');
  return library;
}

/** A {@link LaunchExecution} that runs the definition locally; await {@link prepareLauncher} first. */
function createLauncher(lib: Library, options: LauncherOptions): LaunchExecution {
  const { waits, retries } = timedStates(options.definition);
  const waitMs = options.waitMs ?? 5;
  const perSecond = options.retryMsPerSecond ?? 0.5;
  const key = JSON.stringify(options.definition);
  const machine = new (withEventQueue(lib.StateMachine))(options.definition as never, {
    validationOptions: { checkArn: false, noValidate: validDefinitions.has(key) },
  });
  validDefinitions.add(key);
  const waitStates = new Map(
    Object.entries(allWaits(options.definition)).filter(([name]) => waits.includes(name)),
  );
  return ({ name, arn, input }) => {
    const startTime = new Date(options.clock.now()).toISOString();
    const sizes = new StateSizeMonitor();
    const limit = (state: string, kind: 'input' | 'output', value: unknown) => {
      const exceeded = sizes.measure(state, kind, value);
      options.largestStates?.set(name, sizes.largest);
      if (exceeded === undefined) return;
      execution.abort();
      throw exceeded;
    };
    const tasks = Object.fromEntries(
      Object.entries(options.tasks).map(([state, task]) => [
        state,
        async (taskInput: unknown) => {
          limit(state, 'input', taskInput);
          const output = await task(taskInput);
          limit(state, 'output', output);
          return output;
        },
      ]),
    );
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: tasks as never,
        waitTimeOverrides: Object.fromEntries(waits.map((state) => [state, waitMs])),
        retryIntervalOverrides: Object.fromEntries(
          retries.map((state) => [state, retryDelays(state, options.definition, perSecond)]),
        ),
      },
      context: {
        Execution: {
          Id: arn,
          Name: name,
          Input: input as never,
          StartTime: startTime,
          RoleArn: 'arn:aws:iam::000000000000:role/StateMachineRole',
        },
        StateMachine: { Id: options.stateMachineArn, Name: options.stateMachineArn.split(':').pop() },
        // The library leaves $$.State out; tasks read EnteredTime as the workflow's (simulated) time.
        State: enteredTime(options.clock),
      },
    });
    const timeline = new BranchTimeline(options.clock, waitStates);
    const events = (async () => {
      for await (const event of execution.eventLogs as AsyncIterable<ExecutionEvent>) {
        if (event.state !== undefined && (event.type === 'StateEntered' || event.type === 'StateExited')) {
          const kind = event.type === 'StateEntered' ? 'input' : 'output';
          try {
            limit(event.state.name, kind, kind === 'input' ? event.state.input : event.state.output);
          } catch {
            // The execution is aborted; its result reports the limit.
          }
        }
        timeline.onEvent(event);
        options.onEvent?.(event, name);
      }
    })();
    const result = execution.result.then(
      async (output) => {
        await events;
        if (sizes.violation !== undefined) throw sizes.violation;
        return output;
      },
      async (error: unknown) => {
        await events.catch(() => undefined);
        throw sizes.violation ?? normalizeError(error);
      },
    );
    return { result, abort: () => execution.abort() };
  };
}

/** `$$.State` whose `EnteredTime` is the simulated clock's time when a state reads it (on entry). */
function enteredTime(clock: SimulatedClock): { readonly EnteredTime: string } {
  return {
    get EnteredTime() {
      return new Date(clock.now()).toISOString();
    },
  };
}

/** Loads the library and returns {@link createLauncher} bound to it. */
export async function prepareLauncher(options: LauncherOptions): Promise<LaunchExecution> {
  return createLauncher(await loadLibrary(), options);
}

function retryDelays(state: string, definition: AslDefinition, perSecond: number): number[] {
  const retriers = (allStates(definition).find(([name]) => name === state)?.[1].Retry ?? []) as Retrier[];
  return retriers.map((retrier) =>
    Math.min(50, Math.max(1, Math.round((retrier.IntervalSeconds ?? 1) * perSecond))),
  );
}

interface WaitSpec {
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
}

function allWaits(definition: AslDefinition): Record<string, WaitSpec> {
  const out: Record<string, WaitSpec> = {};
  const visit = (def: AslDefinition) => {
    for (const [name, state] of Object.entries(def.States)) {
      if (state.Type === 'Wait') out[name] = state as WaitSpec;
      for (const sub of [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])]) if (sub) visit(sub);
    }
  };
  visit(definition);
  return out;
}

/**
 * Simulated time per branch (the execution, or one Map iteration): a Wait or a retry moves its branch
 * forward by the nominal duration, and the shared clock to the furthest branch. Iterations that wait
 * side by side overlap in time, as they do in Step Functions, instead of adding up.
 */
class BranchTimeline {
  private readonly branches = new Map<string, number>();

  constructor(
    private readonly clock: SimulatedClock,
    private readonly waits: Map<string, WaitSpec>,
  ) {}

  onEvent(event: ExecutionEvent): void {
    const branch = event.index === undefined ? 'execution' : `iteration-${event.index}`;
    if (event.type === 'MapIterationStarted') this.branches.set(branch, this.clock.now());
    let delay = 0;
    if (event.type === 'StateEntered' && event.state !== undefined) {
      const spec = this.waits.get(event.state.name);
      if (spec !== undefined) delay = waitMillis(spec, event.state.input, this.clock.now());
    }
    if (event.type === 'StateRetried' && event.retry !== undefined) {
      const { retrier, attempt } = event.retry;
      const interval =
        (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
      delay = Math.min(interval, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
    }
    if (delay <= 0) return;
    const reached = (this.branches.get(branch) ?? this.clock.now()) + delay;
    this.branches.set(branch, reached);
    this.clock.advanceTo(reached);
  }
}

function waitMillis(spec: WaitSpec, input: unknown, now: number): number {
  if (spec.Seconds !== undefined) return spec.Seconds * 1000;
  if (spec.SecondsPath !== undefined) return Number(readPath(input, spec.SecondsPath) ?? 0) * 1000;
  const timestamp =
    spec.Timestamp ?? (spec.TimestampPath ? String(readPath(input, spec.TimestampPath)) : undefined);
  return timestamp === undefined ? 0 : Math.max(0, Date.parse(timestamp) - now);
}

/** The value at a simple `$.a.b` path. */
function readPath(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((part) => part !== '')
    .reduce<unknown>((current, part) => (current as Record<string, unknown> | undefined)?.[part], value);
}

/** An execution's failure with `name` = the Step Functions error and `message` = the cause. */
function normalizeError(error: unknown): Error {
  const failure = error as Error & { cause?: unknown };
  if (failure?.name === 'ExecutionError' && failure.cause instanceof Error) {
    const normalized = new Error(failure.cause.message);
    normalized.name = failure.cause.name;
    return normalized;
  }
  if (failure?.name === 'ExecutionTimeoutError') {
    const normalized = new Error('The execution ran longer than its TimeoutSeconds');
    normalized.name = 'States.Timeout';
    return normalized;
  }
  return failure instanceof Error ? failure : new Error(String(error));
}
