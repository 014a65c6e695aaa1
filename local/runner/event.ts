/**
 * The event that starts a run in AWS: S3's EventBridge "Object Created" event, as the SQS queue delivers
 * it to the Start run function.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { encodeEventKey } from '../../lambda/core/contract/run-id';
import { LOCAL_ACCOUNT } from './template';

/** The object S3 reports. */
interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly versionId?: string;
}

/** The EventBridge event S3 sends for a PutObject. */
export function objectCreatedEvent(
  object: CreatedObject,
  region: string,
  time = new Date(),
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: LOCAL_ACCOUNT,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:s3:::${object.bucket}`],
    detail: {
      version: '0',
      bucket: { name: object.bucket },
      object: {
        key: encodeEventKey(object.key),
        size: object.size,
        ...(object.etag === undefined ? {} : { etag: object.etag.replace(/"/g, '') }),
        ...(object.versionId === undefined ? {} : { 'version-id': object.versionId }),
        sequencer: time.getTime().toString(16).toUpperCase().padStart(18, '0'),
      },
      'request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      requester: LOCAL_ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  };
}

/** One SQS message per body, as the Lambda event source mapping delivers a batch. */
export function sqsEvent(bodies: readonly unknown[], queueArn: string, region: string): SQSEvent {
  const now = String(Date.now());
  return {
    Records: bodies.map((value) => {
      const body = JSON.stringify(value);
      return {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: now,
          SenderId: 'AIDAEVENTBRIDGE',
          ApproximateFirstReceiveTimestamp: now,
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      };
    }),
  };
}
