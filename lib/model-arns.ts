/**
 * Model ARNs for IAM: a foundation-model id, an inference-profile id (geography prefix), or an ARN of either
 * becomes every ARN that `bedrock:InvokeModel` and `bedrock:CreateModelInvocationJob` are checked against.
 */
import { ArnFormat, type Stack } from 'aws-cdk-lib';

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

function profileArns(
  stack: Stack,
  profileId: string,
  regionsByGeo: Readonly<Record<string, readonly string[]>>,
): string[] {
  const match = PROFILE_ID.exec(profileId);
  if (!match) return [];
  const [, geo, baseId] = match;
  const regions = regionsByGeo[geo!];
  if (regions === undefined) {
    throw new Error(
      `No Regions are known for the inference profile geography "${geo}" (model "${profileId}"): ` +
        'set inferenceProfileRegions for it',
    );
  }
  const profile = stack.formatArn({
    service: 'bedrock',
    resource: 'inference-profile',
    resourceName: profileId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  return [profile, ...regions.map((region) => foundationModelArn(stack, baseId!, region))];
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
