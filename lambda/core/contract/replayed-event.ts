/**
 * An event as it was first delivered, whether it arrives directly or replayed from a failure queue: a
 * Lambda on-failure destination wraps the event in a record (`requestPayload`), an EventBridge target's
 * dead-letter queue holds the event itself.
 */

/** The part of a Lambda asynchronous-invocation destination record this reads. */
export interface DestinationRecord {
  readonly requestContext: { readonly functionArn?: unknown };
  readonly requestPayload: unknown;
}

function isDestinationRecord(value: unknown): value is DestinationRecord {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    'requestPayload' in record && record.requestContext !== null && typeof record.requestContext === 'object'
  );
}

/**
 * The original event: the `requestPayload` of a destination record (the body of a message in an
 * on-failure queue), or the value itself.
 *
 * @example originalEvent({ requestContext: {...}, requestPayload: { detail: {...} } }) // { detail: {...} }
 */
export function originalEvent<T>(event: T | DestinationRecord): T {
  return (isDestinationRecord(event) ? event.requestPayload : event) as T;
}
