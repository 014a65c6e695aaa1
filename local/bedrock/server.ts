/**
 * The HTTP side: restJson1 routing of the four job operations and the two runtime calls, JSON bodies
 * and AWS-style errors.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { type RuntimeOperations, RuntimeReply } from './runtime/index';

/** The operations a request can name. */
interface Operations {
  create(body: unknown): Promise<unknown>;
  get(identifier: string): unknown;
  stop(identifier: string): unknown;
  list(query: URLSearchParams): unknown;
  /** InvokeModel and Converse (`POST /model/{modelId}/invoke|converse`), when served. */
  readonly runtime?: RuntimeOperations;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('ValidationException', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('ValidationException', 'The request body is not valid JSON.');
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-ErrorType': errorType }),
    ...headers,
  });
  response.end(text);
}

function segments(url: string): string[] {
  const path = url.split('?')[0] ?? '';
  return path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        throw new ApiError('ValidationException', 'The request path is not valid.');
      }
    });
}

async function route(request: IncomingMessage, operations: Operations): Promise<unknown> {
  const url = request.url ?? '/';
  const parts = segments(url);
  const method = request.method ?? 'GET';
  if (method === 'POST' && parts.length === 1 && parts[0] === 'model-invocation-job') {
    return operations.create(await readBody(request));
  }
  if (method === 'GET' && parts.length === 2 && parts[0] === 'model-invocation-job') {
    return operations.get(parts[1]!);
  }
  if (method === 'POST' && parts.length === 3 && parts[0] === 'model-invocation-job' && parts[2] === 'stop') {
    return operations.stop(parts[1]!);
  }
  if (method === 'GET' && parts.length === 1 && parts[0] === 'model-invocation-jobs') {
    return operations.list(new URL(url, 'http://localhost').searchParams);
  }
  const runtime = operations.runtime;
  if (runtime && method === 'POST' && parts.length === 3 && parts[0] === 'model') {
    if (parts[2] === 'invoke') return runtime.invoke(parts[1]!, await readBody(request));
    if (parts[2] === 'converse') return runtime.converse(parts[1]!, await readBody(request));
  }
  throw new ApiError(
    'UnknownOperationException',
    `The emulator does not implement ${method} ${url.split('?')[0]}.`,
  );
}

/** A `request` listener serving `operations`; every failure becomes an AWS error response. */
export function requestListener(operations: Operations) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    route(request, operations).then(
      (body) =>
        body instanceof RuntimeReply
          ? send(response, 200, body.body, undefined, body.headers)
          : send(response, 200, body),
      (error: unknown) => {
        const apiError =
          error instanceof ApiError
            ? error
            : new ApiError('InternalServerException', `Internal emulator error: ${(error as Error).message}`);
        send(response, apiError.status, { message: apiError.message }, apiError.type);
      },
    );
  };
}
