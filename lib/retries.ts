/**
 * Retry policies shared by the workflow's Lambda tasks.
 */
import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { JobCapacityError } from '../lambda/core/contract/errors';

/** Lambda service errors every Lambda task retries (throttling included). */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** Backoff for Lambda service errors: 2 s, 4 s, 8 s, ... six attempts. */
export const LAMBDA_RETRY: sfn.RetryProps = {
  errors: [...LAMBDA_SERVICE_ERRORS],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
};

/**
 * A full concurrent-job quota or a throttled create call: 1, 2, 4, 8 minutes, then every 15 minutes,
 * 40 attempts in all, about 9 hours and 15 minutes of waiting before the run fails.
 */
export const JOB_CAPACITY_RETRY: sfn.RetryProps = {
  errors: [JobCapacityError.name],
  interval: Duration.seconds(60),
  backoffRate: 2,
  maxDelay: Duration.seconds(900),
  maxAttempts: 40,
};
