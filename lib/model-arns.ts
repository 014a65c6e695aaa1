/**
 * Model ARNs for IAM: a foundation-model id, an inference-profile id (geography prefix), or an ARN of either
 * becomes every ARN that `bedrock:InvokeModel` and `bedrock:CreateModelInvocationJob` are checked against.
 */
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The Regions each cross-Region inference profile geography routes to, by its id prefix. `global` routes
 * anywhere, so its foundation-model ARNs use the Region `*`. Override with `inferenceProfileRegions` when AWS
 * adds a destination Region.
 */
export const DEFAULT_INFERENCE_PROFILE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  'us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  ca: ['ca-central-1', 'ca-west-1'],
  eu: [
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
  ],
  apac: [
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-4',
  ],
  jp: ['ap-northeast-1', 'ap-northeast-3'],
  au: ['ap-southeast-2', 'ap-southeast-4'],
  global: ['*'],
};

const PROFILE_ID = /^(us-gov|us|eu|apac|ca|jp|au|global)\.(.+)$/;

function foundationModelArn(stack: Stack, modelId: string, region?: string): string {
  return stack.formatArn({
    service: 'bedrock',
    region,
    account: '',
    resource: 'foundation-model',
    resourceName: modelId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** A cross-Region inference profile id's base model and the Regions it routes to; undefined for a plain id. */
function profileRoute(
  profileId: string,
  regionsByGeo: Readonly<Record<string, readonly string[]>>,
): { readonly baseId: string; readonly regions: readonly string[] } | undefined {
  const match = PROFILE_ID.exec(profileId);
  if (!match) return undefined;
  const [, geo, baseId] = match;
  const regions = regionsByGeo[geo!];
  if (regions === undefined) {
    throw new Error(
      `No Regions are known for the inference profile geography "${geo}" (model "${profileId}"): ` +
        'set inferenceProfileRegions for it',
    );
  }
  return { baseId: baseId!, regions };
}

function profileArn(stack: Stack, profileId: string): string {
  return stack.formatArn({
    service: 'bedrock',
    resource: 'inference-profile',
    resourceName: profileId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

function profileArns(
  stack: Stack,
  profileId: string,
  regionsByGeo: Readonly<Record<string, readonly string[]>>,
): string[] {
  const route = profileRoute(profileId, regionsByGeo);
  if (route === undefined) return [];
  return [
    profileArn(stack, profileId),
    ...route.regions.map((region) => foundationModelArn(stack, route.baseId, region)),
  ];
}

/**
 * Every ARN a model id must be granted on.
 *
 * @example modelArns(stack, ['us.anthropic.claude-3-5-haiku-20241022-v1:0'])
 * // [inference-profile/us.anthropic... in this Region, foundation-model/anthropic... in us-east-1, ...]
 */
export function modelArns(
  stack: Stack,
  modelIds: readonly string[],
  regionsByGeo: Readonly<Record<string, readonly string[]>> = DEFAULT_INFERENCE_PROFILE_REGIONS,
): string[] {
  const arns = new Set<string>();
  for (const modelId of modelIds) {
    if (modelId.startsWith('arn:')) {
      arns.add(modelId);
      const resource = modelId.slice(modelId.indexOf('/') + 1);
      if (modelId.includes(':inference-profile/')) {
        for (const arn of profileArns(stack, resource, regionsByGeo).slice(1)) arns.add(arn);
      }
      continue;
    }
    const profile = profileArns(stack, modelId, regionsByGeo);
    if (profile.length > 0) {
      for (const arn of profile) arns.add(arn);
    } else {
      arns.add(foundationModelArn(stack, modelId));
    }
  }
  return [...arns];
}

/** Foundation models reached through inference profiles of one geography, granted in its Regions only. */
export interface RoutedModels {
  /** The Regions the geography routes to; `undefined` for `global` (any Region). */
  readonly regions?: readonly string[];
  /** One foundation-model ARN per model, with the Region `*` (the condition names the Regions). */
  readonly arns: readonly string[];
}

/**
 * The model grants of a stack in a compact form: a role's inline policies stay within IAM's 10,240
 * characters with dozens of cross-Region profiles (8 Regions times 30 models would list 240 ARNs).
 */
export interface ModelAccess {
  /** Granted as they are: foundation models in this Region, inference profiles, ARNs given. */
  readonly direct: readonly string[];
  /** Foundation models behind inference profiles, one group per geography. */
  readonly routed: readonly RoutedModels[];
}

/**
 * The grants of {@link modelArns} in the compact form of {@link ModelAccess}: instead of one ARN per
 * Region, a model behind a geography profile gets one ARN with the Region `*` and the statement is limited
 * to the geography's Regions by `aws:RequestedRegion`.
 *
 * @example modelAccess(stack, ['eu.anthropic.claude-3-5-haiku-20241022-v1:0'])
 * // { direct: [inference-profile/eu.anthropic...], routed: [{ regions: [eu-central-1, ...], arns: [foundation-model/anthropic... in *] }] }
 */
export function modelAccess(
  stack: Stack,
  modelIds: readonly string[],
  regionsByGeo: Readonly<Record<string, readonly string[]>> = DEFAULT_INFERENCE_PROFILE_REGIONS,
): ModelAccess {
  const direct = new Set<string>();
  const routed = new Map<string, { regions?: readonly string[]; arns: Set<string> }>();
  const route = (profileId: string) => {
    const found = profileRoute(profileId, regionsByGeo);
    if (found === undefined) return false;
    const { baseId, regions } = found;
    const anyRegion = regions.includes('*');
    const key = anyRegion ? '*' : [...regions].sort().join(',');
    const group = routed.get(key) ?? {
      regions: anyRegion ? undefined : [...regions].sort(),
      arns: new Set(),
    };
    group.arns.add(foundationModelArn(stack, baseId, '*'));
    routed.set(key, group);
    return true;
  };
  for (const modelId of modelIds) {
    if (modelId.startsWith('arn:')) {
      direct.add(modelId);
      if (modelId.includes(':inference-profile/')) route(modelId.slice(modelId.indexOf('/') + 1));
      continue;
    }
    if (route(modelId)) {
      direct.add(profileArn(stack, modelId));
    } else {
      direct.add(foundationModelArn(stack, modelId));
    }
  }
  return {
    direct: [...direct],
    routed: [...routed.values()].map((group) => ({ regions: group.regions, arns: [...group.arns] })),
  };
}

/** Every resource of a {@link ModelAccess} (for acknowledgements that list them). */
export function modelAccessArns(access: ModelAccess): string[] {
  return [...access.direct, ...access.routed.flatMap((group) => group.arns)];
}

/**
 * The statements that allow `actions` on the models of `access` (and on `extraResources`, in the first
 * statement): one for the direct ARNs, one per geography limited to its Regions.
 */
export function modelStatements(
  sid: string,
  actions: readonly string[],
  access: ModelAccess,
  extraResources: readonly string[] = [],
): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({ sid, actions: [...actions], resources: [...access.direct, ...extraResources] }),
  ];
  access.routed.forEach((group, index) => {
    statements.push(
      new iam.PolicyStatement({
        sid: `${sid}ThroughProfiles${index + 1}`,
        actions: [...actions],
        resources: [...group.arns],
        conditions: group.regions
          ? { StringEquals: { 'aws:RequestedRegion': [...group.regions] } }
          : undefined,
      }),
    );
  });
  return statements;
}
