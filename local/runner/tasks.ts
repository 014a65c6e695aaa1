/**
 * Walks an ASL definition and binds every Task state to something local: a Lambda task to its real
 * handler (placeholder ARN → logical id → handler name), an SNS publish to a recorder.
 */
import type { HandlerName } from '../../lib/handler-names';

/** An ASL state, as far as the runner reads it. */
export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Retry?: readonly unknown[];
  readonly Iterator?: AslDefinition;
  readonly ItemProcessor?: AslDefinition;
  readonly Branches?: readonly AslDefinition[];
}

/** An ASL definition (or a Map/Parallel sub-definition). */
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

/** Every state of the definition, nested ones included, by name. */
export function allStates(definition: AslDefinition): Array<[string, AslState]> {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...[state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])]
      .filter((sub): sub is AslDefinition => sub !== undefined)
      .flatMap(allStates),
  ]);
}

/** A message an SNS publish state would have sent. */
export interface Notification {
  readonly state: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: unknown;
}

/** A local stand-in for one task state. */
export type LocalTask = (input: unknown) => Promise<unknown>;

/** What {@link bindTasks} needs. */
interface TaskBindings {
  /** Handler name → logical id of its function. */
  readonly functions: Readonly<Record<HandlerName, string>>;
  readonly invoke: (handler: HandlerName, payload: unknown) => Promise<unknown>;
  readonly notify: (notification: Notification) => void;
}

const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const SNS_PUBLISH = /^arn:[^:]+:states:::sns:publish$/;

/**
 * One local task per Task state, keyed by state name (as aws-local-stepfunctions wants them).
 * A Task this runner cannot run is an error naming the state and its resource.
 */
export function bindTasks(definition: AslDefinition, bindings: TaskBindings): Record<string, LocalTask> {
  const byLength = (Object.entries(bindings.functions) as [HandlerName, string][]).sort(
    (a, b) => b[1].length - a[1].length,
  );
  const handlerFor = (resource: string) => byLength.find(([, logicalId]) => resource.includes(logicalId));
  const tasks: Record<string, LocalTask> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Task') continue;
    const resource = state.Resource ?? '';
    if (SNS_PUBLISH.test(resource)) {
      tasks[name] = async (input) => {
        const params = (input ?? {}) as { TopicArn?: string; Subject?: string; Message?: unknown };
        bindings.notify({
          state: name,
          topicArn: String(params.TopicArn ?? ''),
          ...(params.Subject === undefined ? {} : { subject: params.Subject }),
          message: params.Message,
        });
        return { MessageId: crypto.randomUUID() };
      };
      continue;
    }
    if (LAMBDA_INVOKE.test(resource)) {
      const target = handlerFor(JSON.stringify(state.Parameters?.FunctionName ?? ''));
      if (target === undefined)
        throw new Error(`Task state '${name}' invokes a function this stack does not define`);
      tasks[name] = async (input) => {
        const { Payload } = (input ?? {}) as { Payload?: unknown };
        const result = await bindings.invoke(target[0], Payload);
        return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
      };
      continue;
    }
    const target = handlerFor(resource);
    if (target === undefined) {
      throw new Error(`Task state '${name}' uses ${resource}, which the local runner cannot run`);
    }
    tasks[name] = (input) => bindings.invoke(target[0], input);
  }
  return tasks;
}

/** Names of every Wait state and every state with a Retry field. */
export function timedStates(definition: AslDefinition): { waits: string[]; retries: string[] } {
  const states = allStates(definition);
  return {
    waits: states.filter(([, state]) => state.Type === 'Wait').map(([name]) => name),
    retries: states.filter(([, state]) => (state.Retry?.length ?? 0) > 0).map(([name]) => name),
  };
}
