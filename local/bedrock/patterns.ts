/** The service model's constraints for CreateModelInvocationJob and friends, anchored as AWS prints them. */
const anchor = (source: string) => new RegExp(`^(?:${source})$`);

/** `ModelInvocationJobName`. */
export const JOB_NAME = anchor('[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}');
/** `RoleArn`. */
export const ROLE_ARN = anchor('arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+');
/** `ModelInvocationIdempotencyToken`. */
export const CLIENT_TOKEN = anchor('[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}');
/** `ModelId` of the job APIs (foundation model, custom model, inference profile, ids or ARNs). */
export const MODEL_ID = anchor(
  '(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/[a-z0-9-]{1,63}[.]{1}[a-z0-9-:]{1,63}/[a-z0-9]{12}$)|(:foundation-model/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)$)|([0-9]{12}:(inference-profile|application-inference-profile)/[a-zA-Z0-9-:.]+$)))|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)',
);
/** `S3Uri` (the current, tightened pattern). */
export const S3_URI = anchor(
  "s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?",
);
/** `KmsKeyId`. */
export const KMS_KEY_ID = anchor(
  '(arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key/[a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)))|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)',
);
/** `AccountId`. */
export const ACCOUNT_ID = anchor('[0-9]{12}');
/** Subnet and security-group ids of `VpcConfig`. */
export const VPC_ITEM = anchor('[-0-9a-zA-Z]+');
/** Tag keys and values. */
export const TAG_TEXT = anchor('[a-zA-Z0-9\\s._:/=+@-]*');
/** `ModelInvocationJobIdentifier`: a job ARN or a bare 12-character id. */
export const JOB_IDENTIFIER = anchor(
  '((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})',
);
/** `ModelInvocationJobStatus`: the ten job statuses as the wire spells them, in the service model's order. */
export const JOB_STATUSES = [
  'Submitted',
  'InProgress',
  'Completed',
  'Failed',
  'Stopping',
  'Stopped',
  'PartiallyCompleted',
  'Expired',
  'Validating',
  'Scheduled',
] as const;

/** One job status. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses after which a job never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  'Completed',
  'PartiallyCompleted',
  'Failed',
  'Stopped',
  'Expired',
]);
