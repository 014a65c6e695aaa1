/**
 * Finds a deployed stack's buckets and state machine in the outputs file that
 * `npx cdk deploy --outputs-file cdk-outputs.json` writes: `{ "<stack name>": { "<output>": "<value>" } }`.
 */
import { readFile } from 'node:fs/promises';

/** The outputs file the verbs read when `--outputs` is not given. */
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';

/** The stack's output names (lib/stack.ts) the verbs read. */
export const STACK_OUTPUT_NAMES = {
  inputBucket: 'InputBucketName',
  resultsBucket: 'ResultsBucketName',
  stateMachineArn: 'StateMachineArn',
} as const;

/** What the verbs need from the deployed stack. */
export interface StackOutputs {
  readonly stackName: string;
  readonly inputBucket: string;
  readonly resultsBucket: string;
  readonly stateMachineArn: string;
}

/** The outputs file is missing, unreadable, or names no pipeline stack (or several). */
class StackOutputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackOutputsError';
  }
}

const HOW_TO_CREATE =
  'Create it by deploying with `npx cdk deploy --outputs-file cdk-outputs.json` (run that again to refresh it), ' +
  'or point to it with --outputs <file>.';

function pipelineStack(name: string, value: unknown): StackOutputs | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const outputs = value as Record<string, unknown>;
  const read = (key: string) => (typeof outputs[key] === 'string' ? (outputs[key] as string) : undefined);
  const inputBucket = read(STACK_OUTPUT_NAMES.inputBucket);
  const resultsBucket = read(STACK_OUTPUT_NAMES.resultsBucket);
  const stateMachineArn = read(STACK_OUTPUT_NAMES.stateMachineArn);
  if (inputBucket === undefined || resultsBucket === undefined || stateMachineArn === undefined)
    return undefined;
  return { stackName: name, inputBucket, resultsBucket, stateMachineArn };
}

/**
 * The pipeline stack's outputs in `file`: the one stack whose outputs hold the input bucket, the results
 * bucket and the state machine.
 *
 * @example const stack = await readStackOutputs('cdk-outputs.json'); // { stackName: 'BedrockBatchPipeline', ... }
 */
export async function readStackOutputs(file: string): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${String(code)})`;
    throw new StackOutputsError(`The stack outputs file ${file} ${problem}. ${HOW_TO_CREATE}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StackOutputsError(`The stack outputs file ${file} is not JSON. ${HOW_TO_CREATE}`);
  }
  const stacks = Object.entries(typeof parsed === 'object' && parsed !== null ? parsed : {})
    .map(([name, value]) => pipelineStack(name, value))
    .filter((stack): stack is StackOutputs => stack !== undefined);
  const [only, ...others] = stacks;
  if (only === undefined) {
    const names = Object.values(STACK_OUTPUT_NAMES).join(', ');
    throw new StackOutputsError(`No stack in ${file} has the outputs ${names}. ${HOW_TO_CREATE}`);
  }
  if (others.length > 0) {
    const names = stacks.map((stack) => stack.stackName).join(', ');
    throw new StackOutputsError(
      `${file} holds several pipeline stacks (${names}): write one stack's outputs per file ` +
        '(`npx cdk deploy <stack> --outputs-file <file>`) and pass it with --outputs <file>.',
    );
  }
  return only;
}

/** The execution ARN of run `runId` (the execution's name is the run id). */
export function executionArnFor(stateMachineArn: string, runId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`;
}
