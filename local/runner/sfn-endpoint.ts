/**
 * A small Step Functions endpoint on loopback speaking the awsJson1_0 protocol, so the unmodified
 * `@aws-sdk/client-sfn` (pointed at it by `AWS_ENDPOINT_URL_SFN`) can start, describe, list and stop
 * local executions. What an execution does is the caller's {@link LaunchExecution}.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running local execution, as the launcher hands it back. */
interface LaunchedExecution {
  /** Resolves with the output; rejects with an error whose `name` is the Step Functions error. */
  readonly result: Promise<unknown>;
  abort(): void;
}

/** Starts one execution of the state machine; called once per accepted StartExecution. */
export type LaunchExecution = (execution: { name: string; arn: string; input: unknown }) => LaunchedExecution;

/** Execution statuses as DescribeExecution reports them. */
type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One execution the endpoint started. */
export interface LocalExecution {
  readonly name: string;
  readonly arn: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles (never rejects) when the execution ends. */
  readonly done: Promise<void>;
  readonly abort: () => void;
}

/** Options of {@link startSfnEndpoint}. */
interface SfnEndpointOptions {
  readonly stateMachineArn: string;
  readonly launch: LaunchExecution;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
}

/** The running endpoint. */
export interface SfnEndpoint {
  readonly endpoint: string;
  readonly port: number;
  /** Executions in start order. */
  executions(): readonly LocalExecution[];
  /** Called with each execution as it starts. */
  onStart(listener: (execution: LocalExecution) => void): void;
  /** Aborts running executions and closes the server. */
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Starts the endpoint on 127.0.0.1.
 *
 * @example
 * const sfn = await startSfnEndpoint({ stateMachineArn, launch });
 * process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
 */
export async function startSfnEndpoint(options: SfnEndpointOptions): Promise<SfnEndpoint> {
  const byName = new Map<string, LocalExecution>();
  const listeners: Array<(execution: LocalExecution) => void> = [];
  const executionArn = (name: string) =>
    options.stateMachineArn.replace(':stateMachine:', ':execution:').concat(`:${name}`);

  function start(body: Record<string, unknown>): unknown {
    requireStateMachine(body.stateMachineArn);
    const name = typeof body.name === 'string' ? body.name : randomUUID();
    if (!NAME_PATTERN.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = typeof body.input === 'string' ? body.input : '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
    const existing = byName.get(name);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) return describeStart(existing);
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
    }
    const arn = executionArn(name);
    const launched = options.launch({ name, arn, input: parsed });
    const execution: LocalExecution = {
      name,
      arn,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      abort: () => launched.abort(),
      done: launched.result.then(
        (output) => {
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(output ?? null);
        },
        (error: unknown) => {
          const failure = error as { name?: string; message?: string };
          execution.status = statusOf(failure.name);
          execution.error = failure.name;
          execution.cause = failure.message;
        },
      ),
    };
    void execution.done.then(() => {
      execution.stopDate = new Date();
    });
    byName.set(name, execution);
    for (const listener of listeners) listener(execution);
    return describeStart(execution);
  }

  function requireStateMachine(arn: unknown): void {
    if (arn !== options.stateMachineArn) {
      throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    }
  }

  function find(arn: unknown): LocalExecution {
    for (const execution of byName.values()) if (execution.arn === arn) return execution;
    throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
  }

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution: start,
    DescribeExecution: (body) => describe(find(body.executionArn), options.stateMachineArn),
    ListExecutions: (body) => {
      requireStateMachine(body.stateMachineArn);
      const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : 100;
      const executions = [...byName.values()]
        .filter((execution) => body.statusFilter === undefined || execution.status === body.statusFilter)
        .reverse()
        .slice(0, max)
        .map((execution) => ({
          executionArn: execution.arn,
          stateMachineArn: options.stateMachineArn,
          name: execution.name,
          status: execution.status,
          startDate: epochSeconds(execution.startDate),
          stopDate: execution.stopDate === undefined ? undefined : epochSeconds(execution.stopDate),
        }));
      return { executions };
    },
    StopExecution: (body) => {
      const execution = find(body.executionArn);
      if (execution.status === 'RUNNING') execution.abort();
      return { stopDate: epochSeconds(new Date()) };
    },
  };

  const server = createServer((request, response) => {
    void handle(request, response, operations);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    executions: () => [...byName.values()],
    onStart: (listener) => {
      listeners.push(listener);
    },
    async close() {
      for (const execution of byName.values()) if (execution.status === 'RUNNING') execution.abort();
      await Promise.all([...byName.values()].map((execution) => execution.done));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  operations: Record<string, (body: Record<string, unknown>) => unknown>,
): Promise<void> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = operations[target.replace(/^AWSStepFunctions\./, '')];
    if (request.method !== 'POST' || !target.startsWith('AWSStepFunctions.') || operation === undefined) {
      throw new ApiError('UnknownOperationException', `Unknown operation ${target}`);
    }
    const raw = await readBody(request);
    let body: Record<string, unknown>;
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      throw new ApiError('SerializationException', 'Request body is not valid JSON');
    }
    send(response, 200, operation(body));
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError('InternalFailure', (error as Error).message, 500);
    response.setHeader('x-amzn-ErrorType', apiError.type);
    send(response, apiError.status, {
      __type: `com.amazonaws.swf.service.v2.model#${apiError.type}`,
      message: apiError.message,
    });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function statusOf(errorName: string | undefined): ExecutionStatus {
  if (errorName === 'ExecutionAbortedError') return 'ABORTED';
  if (errorName === 'ExecutionTimeoutError' || errorName === 'States.Timeout') return 'TIMED_OUT';
  return 'FAILED';
}

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function describeStart(execution: LocalExecution): unknown {
  return { executionArn: execution.arn, startDate: epochSeconds(execution.startDate) };
}

function describe(execution: LocalExecution, stateMachineArn: string): unknown {
  return {
    executionArn: execution.arn,
    stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    stopDate: execution.stopDate === undefined ? undefined : epochSeconds(execution.stopDate),
    input: execution.input,
    output: execution.output,
    error: execution.error,
    cause: execution.cause,
  };
}
