/**
 * What the verbs for a deployed stack share: the `--outputs` option, the SDK clients (credentials,
 * Region and endpoints from the environment, as every AWS tool reads them), finding a run's pipeline,
 * and turning an AWS or outputs-file error into one line on stderr and exit code 1.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { RunInput } from '../lambda/core/contract/types';
import { DEFAULT_OUTPUTS_FILE, executionArnFor, readStackOutputs, type StackOutputs } from './stack-outputs';
import { UsageError } from './usage';

/** The `--outputs <file>` option of every deployed-stack verb. */
export const OUTPUTS_OPTION = { outputs: { type: 'string' } } as const;

/** The usage line that explains `--outputs`. */
export const OUTPUTS_USAGE = `--outputs <file> is the stack outputs file (default ${DEFAULT_OUTPUTS_FILE}), written by
\`npx cdk deploy --outputs-file ${DEFAULT_OUTPUTS_FILE}\`. Credentials and Region come from the environment
(AWS_PROFILE, AWS_REGION, ...), as for the AWS CLI.`;

/** The stack's outputs and the clients a verb calls it with. */
export interface Deployed {
  readonly stack: StackOutputs;
  readonly s3: S3Client;
  readonly sfn: SFNClient;
}

/** A run that was looked up: its execution, and its pipeline and input from the execution input. */
interface RunExecution {
  readonly execution: DescribeExecutionCommandOutput;
  readonly input?: RunInput;
}

/** An error the verb explains in one line and exits 1 on (no such run, no results yet). */
export class VerbFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerbFailure';
  }
}

/**
 * Reads the outputs file, makes the clients, runs `work`, and destroys the clients. Every error but a
 * usage error is printed as `bedrock-batch <verb>: <message>` and becomes exit code 1.
 */
export async function withDeployed(
  verb: string,
  outputsFile: string | undefined,
  work: (deployed: Deployed) => Promise<number>,
): Promise<number> {
  let deployed: Deployed | undefined;
  try {
    const stack = await readStackOutputs(outputsFile ?? DEFAULT_OUTPUTS_FILE);
    deployed = { stack, s3: new S3Client({}), sfn: new SFNClient({}) };
    return await work(deployed);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    process.stderr.write(`bedrock-batch ${verb}: ${describeError(error)}\n`);
    return 1;
  } finally {
    deployed?.s3.destroy();
    deployed?.sfn.destroy();
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof VerbFailure || error.name === 'StackOutputsError') return error.message;
  return `${error.name}: ${error.message}`;
}

/** DescribeExecution of run `runId`; a run that does not exist is a {@link VerbFailure}. */
export async function describeRun(deployed: Deployed, runId: string): Promise<RunExecution> {
  const executionArn = executionArnFor(deployed.stack.stateMachineArn, runId);
  let execution: DescribeExecutionCommandOutput;
  try {
    execution = await deployed.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ExecutionDoesNotExist') {
      throw new VerbFailure(
        `No run ${runId} in ${deployed.stack.stackName} (no execution ${executionArn}); \`bedrock-batch status\` lists the recent runs.`,
      );
    }
    throw error;
  }
  return { execution, ...(parseInput(execution.input) ?? {}) };
}

function parseInput(text: string | undefined): { input: RunInput } | undefined {
  try {
    const input = JSON.parse(text ?? '') as Partial<RunInput>;
    if (typeof input.pipeline === 'string' && typeof input.runId === 'string')
      return { input: input as RunInput };
  } catch {
    // an execution started by hand with another input: no pipeline to read
  }
  return undefined;
}
