/**
 * What the handlers run with locally: each function's variables from the template (references resolved
 * to local values), the SDK's endpoint variables, and the Bedrock role's access policy for the emulator.
 */

import { EMULATOR_MIN_RECORDS_VARIABLE } from '../../lambda/core/models/limits';
import type { AccessPolicy } from '../bedrock';
import {
  type CfnTemplate,
  functionEnvironments,
  type LocalValues,
  rawVariable,
  referencedId,
  resolveValue,
  roleStatements,
} from './template';

/** What {@link handlerEnvironment} needs besides the template. */
interface EnvironmentInputs {
  readonly region: string;
  /** Local endpoints by service: `s3`, `bedrock`, and `sfn` once the Step Functions endpoint runs. */
  readonly endpoints: { readonly s3: string; readonly bedrock: string; readonly sfn?: string };
  readonly handlerLogLevel?: string;
  /** Variables that win over everything else (for example `MAX_RUN_HOURS`). */
  readonly overrides?: Readonly<Record<string, string>>;
}

/** Each function's own variables (logical id → name → value), without `NODE_OPTIONS`. */
export function localFunctionEnvironments(
  template: CfnTemplate,
  local: LocalValues,
): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(functionEnvironments(template, local)).map(([id, { NODE_OPTIONS: _dropped, ...rest }]) => [
      id,
      rest,
    ]),
  );
}

/** The variables of every function together, plus region, dummy credentials and the local endpoints. */
export function handlerEnvironment(
  functionEnv: Record<string, Record<string, string>>,
  inputs: EnvironmentInputs,
): Record<string, string> {
  const union: Record<string, string> = {};
  for (const variables of Object.values(functionEnv)) Object.assign(union, variables);
  return {
    ...union,
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    AWS_ACCESS_KEY_ID: 'LOCALACCESSKEY',
    AWS_SECRET_ACCESS_KEY: 'local-secret-key',
    AWS_ENDPOINT_URL_S3: inputs.endpoints.s3,
    AWS_ENDPOINT_URL_BEDROCK: inputs.endpoints.bedrock,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: inputs.endpoints.bedrock,
    ...(inputs.endpoints.sfn === undefined ? {} : { AWS_ENDPOINT_URL_SFN: inputs.endpoints.sfn }),
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_LOG_LEVEL: inputs.handlerLogLevel ?? 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    // Lambda runs the bundles on Node.js 24; the SDK's notice about this machine's Node.js is not theirs.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The local-only lower batch minimum, when this process has one, applies to the functions as well.
    ...pick(process.env, EMULATOR_MIN_RECORDS_VARIABLE),
    ...inputs.overrides,
  };
}

/** The Bedrock role (the one Submit job passes) with its S3 statements, in local names. */
export function bedrockAccessPolicy(template: CfnTemplate, local: LocalValues): AccessPolicy {
  const raw = rawVariable(template, 'BEDROCK_ROLE_ARN');
  const roleId = referencedId(raw);
  if (roleId === undefined)
    throw new Error('No function passes a Bedrock role (BEDROCK_ROLE_ARN is not set)');
  return {
    bedrockRoleArn: String(resolveValue(template, local, raw)),
    statements: roleStatements(template, local, roleId).filter((statement) =>
      statement.Action.some((action) => action.startsWith('s3:')),
    ),
  };
}

function pick(variables: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const value = variables[name];
  return value === undefined ? {} : { [name]: value };
}
