/** Validation of a CreateModelInvocationJob body, constraint by constraint, as the service model states. */
import { validationError } from './api-error';
import type { CreateJobRequest } from './job';
import {
  ACCOUNT_ID,
  CLIENT_TOKEN,
  JOB_NAME,
  KMS_KEY_ID,
  MODEL_ID,
  ROLE_ARN,
  S3_URI,
  TAG_TEXT,
  VPC_ITEM,
} from './patterns';

type Problems = string[];
type Body = Record<string, unknown>;

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const patternText = (pattern: RegExp) => pattern.source.slice(4, -2).replaceAll('\\/', '/');

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a string member; returns it when present and valid. */
function checkString(
  problems: Problems,
  value: unknown,
  path: string,
  rule: { required?: boolean; min?: number; max?: number; pattern?: RegExp },
): string | undefined {
  if (value === undefined || value === null) {
    if (rule.required)
      problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: Member must be a string`);
    return undefined;
  }
  const before = problems.length;
  if (rule.min !== undefined && value.length < rule.min) {
    problems.push(
      `Value '${value}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value.length > rule.max) {
    problems.push(
      `Value '${value}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
    );
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    problems.push(
      `Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${patternText(rule.pattern)}`,
    );
  }
  return problems.length === before ? value : undefined;
}

function checkEnum(problems: Problems, value: unknown, path: string, allowed: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problems.push(
      `Value '${show(value)}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
}

/** A union must be an object with exactly one member, and that member must be `member`. */
function checkUnion(problems: Problems, value: unknown, path: string, member: string): Body | undefined {
  if (value === undefined || value === null) {
    problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  const keys = isObject(value) ? Object.keys(value).filter((key) => value[key] !== null) : [];
  if (!isObject(value) || keys.length !== 1) {
    problems.push(`Value at '${path}' failed to satisfy constraint: Union must have exactly one member set`);
    return undefined;
  }
  const inner = value[member];
  if (!isObject(inner)) {
    problems.push(`Value at '${path}' failed to satisfy constraint: Unknown union member '${keys[0]}'`);
    return undefined;
  }
  return inner;
}

function checkS3Uri(problems: Problems, value: unknown, path: string): void {
  checkString(problems, value, path, { required: true, min: 1, max: 1024, pattern: S3_URI });
}

function checkList(
  problems: Problems,
  value: unknown,
  path: string,
  min: number,
  max: number,
  item: (entry: unknown, path: string) => void,
): void {
  if (!Array.isArray(value)) {
    problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: Member must be a list`);
    return;
  }
  if (value.length < min || value.length > max) {
    problems.push(
      `Value at '${path}' failed to satisfy constraint: Member must have length between ${min} and ${max}, got ${value.length}`,
    );
  }
  value.forEach((entry, index) => {
    item(entry, `${path}.${index + 1}.member`);
  });
}

function checkVpc(problems: Problems, value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    problems.push(`Value at 'vpcConfig' failed to satisfy constraint: Member must be a structure`);
    return;
  }
  const item = (entry: unknown, path: string) => {
    checkString(problems, entry, path, { required: true, min: 0, max: 32, pattern: VPC_ITEM });
  };
  for (const [field, max] of [
    ['subnetIds', 16],
    ['securityGroupIds', 5],
  ] as const) {
    if (value[field] === undefined || value[field] === null) {
      problems.push(
        `Value null at 'vpcConfig.${field}' failed to satisfy constraint: Member must not be null`,
      );
    } else {
      checkList(problems, value[field], `vpcConfig.${field}`, 1, max, item);
    }
  }
}

function checkTags(problems: Problems, value: unknown): void {
  if (value === undefined || value === null) return;
  checkList(problems, value, 'tags', 0, 200, (entry, path) => {
    if (!isObject(entry)) {
      problems.push(`Value at '${path}' failed to satisfy constraint: Member must be a structure`);
      return;
    }
    checkString(problems, entry.key, `${path}.key`, { required: true, min: 1, max: 128, pattern: TAG_TEXT });
    checkString(problems, entry.value, `${path}.value`, {
      required: true,
      min: 0,
      max: 256,
      pattern: TAG_TEXT,
    });
  });
}

function checkTimeout(problems: Problems, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push(
      `Value ${show(value)} at 'timeoutDurationInHours' failed to satisfy constraint: Member must be an integer`,
    );
  } else if (value < 24) {
    problems.push(
      `Value '${value}' at 'timeoutDurationInHours' failed to satisfy constraint: Member must have value greater than or equal to 24`,
    );
  } else if (value > 168) {
    problems.push(
      `Value '${value}' at 'timeoutDurationInHours' failed to satisfy constraint: Member must have value less than or equal to 168`,
    );
  }
}

/**
 * The request when every constraint holds, else a ValidationException listing each violation.
 *
 * @example validateCreateRequest(JSON.parse(body)).jobName
 */
export function validateCreateRequest(body: unknown): CreateJobRequest {
  if (!isObject(body)) throw validationError(['The request body must be a JSON object']);
  const problems: Problems = [];
  checkString(problems, body.jobName, 'jobName', { required: true, min: 1, max: 63, pattern: JOB_NAME });
  checkString(problems, body.roleArn, 'roleArn', { required: true, min: 0, max: 2048, pattern: ROLE_ARN });
  checkString(problems, body.modelId, 'modelId', { required: true, min: 1, max: 2048, pattern: MODEL_ID });
  checkString(problems, body.clientRequestToken, 'clientRequestToken', {
    min: 1,
    max: 256,
    pattern: CLIENT_TOKEN,
  });
  checkEnum(problems, body.modelInvocationType, 'modelInvocationType', ['InvokeModel', 'Converse']);
  const input = checkUnion(problems, body.inputDataConfig, 'inputDataConfig', 's3InputDataConfig');
  if (input !== undefined) {
    checkS3Uri(problems, input.s3Uri, 'inputDataConfig.s3InputDataConfig.s3Uri');
    checkEnum(problems, input.s3InputFormat, 'inputDataConfig.s3InputDataConfig.s3InputFormat', ['JSONL']);
    checkString(problems, input.s3BucketOwner, 'inputDataConfig.s3InputDataConfig.s3BucketOwner', {
      pattern: ACCOUNT_ID,
    });
  }
  const output = checkUnion(problems, body.outputDataConfig, 'outputDataConfig', 's3OutputDataConfig');
  if (output !== undefined) {
    checkS3Uri(problems, output.s3Uri, 'outputDataConfig.s3OutputDataConfig.s3Uri');
    checkString(problems, output.s3EncryptionKeyId, 'outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId', {
      min: 1,
      max: 2048,
      pattern: KMS_KEY_ID,
    });
    checkString(problems, output.s3BucketOwner, 'outputDataConfig.s3OutputDataConfig.s3BucketOwner', {
      pattern: ACCOUNT_ID,
    });
  }
  checkVpc(problems, body.vpcConfig);
  checkTimeout(problems, body.timeoutDurationInHours);
  checkTags(problems, body.tags);
  if (problems.length > 0) throw validationError(problems);
  return pick(body, input!, output!);
}

const defined = (entries: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== null));

function pick(body: Body, input: Body, output: Body): CreateJobRequest {
  return defined({
    jobName: body.jobName,
    roleArn: body.roleArn,
    modelId: body.modelId,
    clientRequestToken: body.clientRequestToken,
    modelInvocationType: body.modelInvocationType,
    inputDataConfig: {
      s3InputDataConfig: defined({
        s3Uri: input.s3Uri,
        s3InputFormat: input.s3InputFormat,
        s3BucketOwner: input.s3BucketOwner,
      }),
    },
    outputDataConfig: {
      s3OutputDataConfig: defined({
        s3Uri: output.s3Uri,
        s3EncryptionKeyId: output.s3EncryptionKeyId,
        s3BucketOwner: output.s3BucketOwner,
      }),
    },
    vpcConfig: body.vpcConfig,
    timeoutDurationInHours: body.timeoutDurationInHours,
    tags: body.tags,
  }) as unknown as CreateJobRequest;
}
