/**
 * Reads the S3 "Object Created" event that EventBridge delivers (through SQS) to Start run. The key
 * is returned as it came, still URL-encoded: decoding is `run-id.ts`'s job.
 */

/** The object an event is about. */
export interface CreatedObject {
  readonly bucket: string;
  /** `detail.object.key` exactly as in the event (URL-encoded). */
  readonly encodedKey: string;
  readonly versionId?: string;
  readonly etag?: string;
}

/** An SQS message body, read: an object to consider, an event to ignore, or a malformed message. */
export type ObjectEvent =
  | { readonly kind: 'object'; readonly object: CreatedObject }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * The object an EventBridge event body is about. Events other than "Object Created" are ignored;
 * a body that is not JSON, or lacks the bucket or key, is malformed.
 */
export function readObjectEvent(body: string): ObjectEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'the message body is not JSON' };
  }
  if (typeof event !== 'object' || event === null) {
    return { kind: 'malformed', reason: 'the message body is not a JSON object' };
  }
  if (field(event, 'detail-type') !== 'Object Created') {
    return { kind: 'ignore', reason: 'not an Object Created event' };
  }
  const detail = field(event, 'detail');
  const object = field(detail, 'object');
  const bucket = text(field(field(detail, 'bucket'), 'name'));
  const encodedKey = text(field(object, 'key'));
  if (bucket === undefined || encodedKey === undefined) {
    return { kind: 'malformed', reason: 'detail.bucket.name or detail.object.key is missing' };
  }
  const versionId = text(field(object, 'version-id'));
  const etag = text(field(object, 'etag'));
  return {
    kind: 'object',
    object: { bucket, encodedKey, ...(versionId ? { versionId } : {}), ...(etag ? { etag } : {}) },
  };
}
