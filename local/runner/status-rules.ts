/**
 * The stack's EventBridge rules on "Step Functions Execution Status Change", played locally: when an
 * execution ends, the event Step Functions would send is built and matched against each rule's pattern,
 * and each matching rule's Lambda target (for example Stop jobs) is invoked with it.
 */
import { randomUUID } from 'node:crypto';
import type { HandlerName } from '../../lib/handler-names';
import type { LocalExecution } from './sfn-endpoint';
import { type CfnTemplate, LOCAL_ACCOUNT, type LocalValues, referencedId, resolveValue } from './template';

/** The detail-type of the events Step Functions sends when an execution changes status. */
export const STATUS_CHANGE = 'Step Functions Execution Status Change';

/** One rule target the local runner can invoke: a Lambda function of the stack. */
export interface StatusChangeTarget {
  readonly ruleId: string;
  /** The rule's event pattern, intrinsic functions resolved to local values. */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly handler: string;
  readonly logicalId: string;
  /** One delivery plus the target's `MaximumRetryAttempts`. */
  readonly attempts: number;
}

/** What one delivery of a status-change event did, for tests and diagnostics. */
export interface StatusChangeDelivery {
  readonly executionArn: string;
  readonly status: string;
  readonly handler: string;
  /** The handler's result, when it succeeded. */
  readonly result?: unknown;
  /** The last error, when every attempt failed. */
  readonly error?: string;
}

interface RuleTarget {
  readonly Arn?: unknown;
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number };
}

/**
 * The Lambda targets of the template's rules on execution status changes (handler name → logical id in
 * `functions`). Targets that are not one of those functions (an SNS topic) are left out.
 */
export function statusChangeTargets(
  template: CfnTemplate,
  local: LocalValues,
  functions: Readonly<Record<string, string>>,
): StatusChangeTarget[] {
  const handlerOf = new Map(Object.entries(functions).map(([handler, logicalId]) => [logicalId, handler]));
  const found: StatusChangeTarget[] = [];
  for (const [ruleId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule' || resource.Properties?.State === 'DISABLED') continue;
    const raw = resource.Properties?.EventPattern as Record<string, unknown> | undefined;
    if (!(raw?.['detail-type'] as unknown[] | undefined)?.includes(STATUS_CHANGE)) continue;
    const pattern = resolveValue(template, local, raw) as Record<string, unknown>;
    for (const target of (resource.Properties?.Targets as RuleTarget[] | undefined) ?? []) {
      const logicalId = referencedId(target.Arn);
      const handler = logicalId === undefined ? undefined : handlerOf.get(logicalId);
      if (logicalId === undefined || handler === undefined) continue;
      const retries = target.RetryPolicy?.MaximumRetryAttempts ?? 0;
      found.push({ ruleId, pattern, handler, logicalId, attempts: 1 + retries });
    }
  }
  return found;
}

/**
 * The event Step Functions sends to EventBridge when `execution` ends, in AWS's shape (dates in epoch
 * milliseconds, input and output as JSON text).
 */
export function statusChangeEvent(
  execution: LocalExecution,
  stateMachineArn: string,
  region: string,
): Record<string, unknown> {
  const stop = execution.stopDate ?? new Date();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': STATUS_CHANGE,
    source: 'aws.states',
    account: LOCAL_ACCOUNT,
    time: stop.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [execution.arn],
    detail: {
      executionArn: execution.arn,
      stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: stop.getTime(),
      input: execution.input,
      output: execution.output ?? null,
      inputDetails: { included: true },
      outputDetails: execution.output === undefined ? null : { included: true },
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}

/**
 * Whether `event` matches an EventBridge pattern made of value lists and nested objects (the only
 * forms the stack's status-change rules use; content filters such as `prefix` never match here).
 */
export function matchesPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (event as Record<string, unknown> | null | undefined)?.[key];
    if (Array.isArray(expected)) {
      return expected.some((value) => typeof value !== 'object' && value === actual);
    }
    if (typeof expected === 'object' && expected !== null) {
      return matchesPattern(expected as Record<string, unknown>, actual);
    }
    return false;
  });
}

/** Invokes a rule's function with the event, retrying as EventBridge does up to the target's attempts. */
export async function deliverStatusChange(
  rule: StatusChangeTarget,
  event: Record<string, unknown>,
  execution: LocalExecution,
  call: (handler: HandlerName, payload: unknown) => Promise<unknown>,
): Promise<StatusChangeDelivery> {
  const base = { executionArn: execution.arn, status: execution.status, handler: rule.handler };
  let error = '';
  for (let attempt = 1; attempt <= rule.attempts; attempt += 1) {
    try {
      return { ...base, result: await call(rule.handler as HandlerName, event) };
    } catch (failure) {
      error = `${(failure as Error).name}: ${(failure as Error).message}`;
    }
  }
  return { ...base, error };
}
