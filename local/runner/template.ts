/**
 * Reads the synthesized CloudFormation template with local values: bucket Refs become the embedded S3's
 * bucket names, ARNs become well-formed fakes in account 000000000000. Used for the functions'
 * environments and for the Bedrock role's access policy.
 */

/** A CloudFormation template, as far as the runner reads it. */
export interface CfnTemplate {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

/** The account id of every local ARN. */
export const LOCAL_ACCOUNT = '000000000000';

/** Local names for the stack's three buckets. */
export const LOCAL_BUCKETS = {
  INPUT_BUCKET: 'input',
  WORK_BUCKET: 'work',
  RESULTS_BUCKET: 'results',
} as const;

/** What Refs and GetAtts resolve to. */
export interface LocalValues {
  readonly region: string;
  readonly stateMachineArn: string;
  /** Bucket logical id → local bucket name. */
  readonly buckets: Readonly<Record<string, string>>;
}

/** Resolves intrinsic functions in `value` to plain strings (unknown resources get stable fake values). */
export function resolveValue(template: CfnTemplate, local: LocalValues, value: unknown): unknown {
  const resolve = (v: unknown): unknown => resolveValue(template, local, v);
  if (Array.isArray(value)) return value.map(resolve);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [fn, arg] = entries[0] as [string, unknown];
    if (fn === 'Ref') return ref(template, local, String(arg));
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
      return getAtt(template, local, String(id), String(attribute));
    }
    if (fn === 'Fn::Join') {
      const [separator, parts] = arg as [string, unknown[]];
      return (resolve(parts) as unknown[]).map(String).join(separator);
    }
    if (fn === 'Fn::Select') {
      const [index, list] = arg as [number, unknown];
      return (resolve(list) as unknown[])[Number(index)];
    }
    if (fn === 'Fn::Split') {
      const [separator, source] = arg as [string, unknown];
      return String(resolve(source)).split(separator);
    }
    if (fn === 'Fn::Sub') {
      const [text, vars] = Array.isArray(arg)
        ? (arg as [string, Record<string, unknown>])
        : [String(arg), {}];
      return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
        if (name in vars) return String(resolve(vars[name]));
        const [id, attribute] = name.split('.');
        return String(
          attribute === undefined ? ref(template, local, name) : getAtt(template, local, id!, attribute),
        );
      });
    }
  }
  return Object.fromEntries(entries.map(([key, v]) => [key, resolve(v)]));
}

function ref(template: CfnTemplate, local: LocalValues, id: string): string {
  const pseudo: Record<string, string> = {
    'AWS::Region': local.region,
    'AWS::Partition': 'aws',
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'bedrock-batch-local',
    'AWS::NoValue': '',
  };
  if (id in pseudo) return pseudo[id] as string;
  const type = template.Resources[id]?.Type;
  switch (type) {
    case 'AWS::S3::Bucket':
      return local.buckets[id] ?? id.toLowerCase();
    case 'AWS::IAM::Role':
      return id;
    case 'AWS::StepFunctions::StateMachine':
      return local.stateMachineArn;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${local.region}:${LOCAL_ACCOUNT}:${id}`;
    case 'AWS::SQS::Queue':
      return `http://sqs.${local.region}.localhost/${LOCAL_ACCOUNT}/${id}`;
    default:
      return id;
  }
}

function getAtt(template: CfnTemplate, local: LocalValues, id: string, attribute: string): string {
  const type = template.Resources[id]?.Type;
  const region = local.region;
  if (attribute !== 'Arn') return `${id}.${attribute}`;
  switch (type) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${ref(template, local, id)}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${id}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${id}`;
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${region}:${LOCAL_ACCOUNT}:key/${id}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${id}`;
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return ref(template, local, id);
    default:
      return `arn:aws:local:${region}:${LOCAL_ACCOUNT}:${id}`;
  }
}

/** Bucket logical id → local name, found through the `*_BUCKET` variables of the functions. */
export function localBucketNames(template: CfnTemplate): Record<string, string> {
  const names: Record<string, string> = {};
  for (const variables of Object.values(rawEnvironments(template))) {
    for (const [variable, local] of Object.entries(LOCAL_BUCKETS)) {
      const value = variables[variable] as { Ref?: unknown } | undefined;
      if (typeof value?.Ref === 'string') names[value.Ref] = local;
    }
  }
  return names;
}

function rawEnvironments(template: CfnTemplate): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const environment = resource.Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined;
    out[id] = environment?.Variables ?? {};
  }
  return out;
}

/** Each function's environment variables (logical id → name → value), resolved to local values. */
export function functionEnvironments(
  template: CfnTemplate,
  local: LocalValues,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [id, variables] of Object.entries(rawEnvironments(template))) {
    out[id] = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [name, String(resolveValue(template, local, value))]),
    );
  }
  return out;
}

/** One IAM statement with every value resolved. */
interface LocalStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/** The identity policy statements attached to a role (inline and `AWS::IAM::Policy`), resolved. */
export function roleStatements(template: CfnTemplate, local: LocalValues, roleId: string): LocalStatement[] {
  const documents: unknown[] = [];
  const role = template.Resources[roleId];
  for (const inline of (role?.Properties?.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []) {
    documents.push(inline.PolicyDocument);
  }
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = (resource.Properties?.Roles as unknown[] | undefined) ?? [];
    if (roles.some((r) => (r as { Ref?: string }).Ref === roleId))
      documents.push(resource.Properties?.PolicyDocument);
  }
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);
  return documents.flatMap((document) => {
    const resolved = resolveValue(template, local, document) as { Statement?: Record<string, unknown>[] };
    return (resolved.Statement ?? []).map((statement) => ({
      ...(statement.Sid === undefined ? {} : { Sid: String(statement.Sid) }),
      Effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
      Action: list(statement.Action),
      Resource: list(statement.Resource),
      ...(statement.Condition === undefined
        ? {}
        : { Condition: statement.Condition as LocalStatement['Condition'] }),
    }));
  });
}

/** The logical id a `{Ref}`/`{Fn::GetAtt}` value points to, if it is one. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { Ref, 'Fn::GetAtt': getAttr } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof Ref === 'string') return Ref;
  if (Array.isArray(getAttr)) return String(getAttr[0]);
  return undefined;
}

/** The unresolved value of one function environment variable, for finding what it references. */
export function rawVariable(template: CfnTemplate, name: string): unknown {
  for (const variables of Object.values(rawEnvironments(template)))
    if (name in variables) return variables[name];
  return undefined;
}
