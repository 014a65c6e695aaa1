/**
 * Bedrock runtime calls at the edge: one record's body through InvokeModel (the model's native body)
 * or Converse (the Converse body), returning the response body the batch output would hold, or the
 * failure as plain values (lambda/core/on-demand/failure.ts decides what it means).
 */
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';
import type { InvocationType } from '../core/contract/types';
import type { InvocationFailure, InvocationResult } from '../core/on-demand/failure';

/** A call that has not answered after this long is abandoned (and retried as a timeout). */
export const CALL_TIMEOUT_MS = 120_000;

/** The failure of a runtime call: the SDK error's name (or its network code), status and message. */
export function failureOf(error: unknown): InvocationFailure {
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : String(e?.name ?? 'Error');
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : 'no message';
  const status = e?.$metadata?.httpStatusCode;
  return status === undefined ? { name, message } : { name, status, message };
}

/**
 * Calls the model once for one record.
 *
 * @example await invokeRecord(new BedrockRuntimeClient({ maxAttempts: 1 }), modelId, 'InvokeModel', body)
 */
export async function invokeRecord(
  client: BedrockRuntimeClient,
  modelId: string,
  invocationType: InvocationType,
  modelInput: unknown,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<InvocationResult> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    if (invocationType === 'Converse') {
      const input = { ...(modelInput as Record<string, unknown>), modelId };
      const { $metadata: _, ...output } = await client.send(
        new ConverseCommand(input as unknown as ConstructorParameters<typeof ConverseCommand>[0]),
        { abortSignal },
      );
      return { ok: true, output };
    }
    const out = await client.send(
      new InvokeModelCommand({
        modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: new TextEncoder().encode(JSON.stringify(modelInput)),
      }),
      { abortSignal },
    );
    return { ok: true, output: JSON.parse(new TextDecoder().decode(out.body)) as unknown };
  } catch (error) {
    return { ok: false, failure: failureOf(error) };
  }
}
