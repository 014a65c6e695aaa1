/**
 * The Bedrock runtime endpoints (InvokeModel, Converse) answered by the emulated model, with AWS's
 * error responses and injectable faults. Served by the same HTTP server as the control plane, so one
 * endpoint works for `AWS_ENDPOINT_URL_BEDROCK` and `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`.
 */
import type { Faults } from '../../faults';
import { ApiError, INJECTED_MESSAGES } from '../api-error';
import { type Invocation, invokeModel, shapeFor } from '../model/index';
import type { ModelCatalog } from '../models/catalog';
import { RuntimeFaults } from './faults';
import { RuntimeReply } from './reply';

export { RuntimeReply } from './reply';

/** The two runtime operations, by model id (as decoded from the path) and parsed JSON body. */
export interface RuntimeOperations {
  invoke(modelId: string, body: unknown): RuntimeReply;
  converse(modelId: string, body: unknown): RuntimeReply;
}

/** How many runtime calls were made and how many were answered with an injected fault. */
export interface RuntimeStats {
  calls: number;
  injected: number;
}

function answered(result: Invocation): Extract<Invocation, { ok: true }> {
  if (!result.ok) {
    const message = result.errorMessage.startsWith('Input is too long')
      ? result.errorMessage
      : `Malformed input request: ${result.errorMessage}`;
    throw new ApiError('ValidationException', message);
  }
  return result;
}

function usageHeaders(result: Extract<Invocation, { ok: true }>): Record<string, string> {
  return {
    'X-Amzn-Bedrock-Input-Token-Count': String(result.inputTokens),
    'X-Amzn-Bedrock-Output-Token-Count': String(result.outputTokens),
    'X-Amzn-Bedrock-Invocation-Latency': String(200 + ((result.inputTokens + result.outputTokens) % 1300)),
  };
}

/**
 * The runtime operations for an emulator's faults and seed; `stats` counts the calls. A model in
 * `models` answers in its table shape and refuses a prompt longer than its context window; any other id
 * is answered in the shape its provider prefix suggests.
 *
 * @example const runtime = runtimeOperations({ runtimeErrors: ['ThrottlingException'] }, 1, stats);
 */
export function runtimeOperations(
  faults: Faults,
  seed: number,
  stats: RuntimeStats,
  models?: ModelCatalog,
): RuntimeOperations {
  const injector = new RuntimeFaults(faults, seed);
  const inject = (modelId: string, body: unknown) => {
    stats.calls++;
    const type = injector.next(modelId, JSON.stringify(body));
    if (type === undefined) return;
    stats.injected++;
    throw new ApiError(type, INJECTED_MESSAGES[type] ?? type);
  };
  return {
    invoke(modelId, body) {
      inject(modelId, body);
      const result = answered(invokeModel(modelId, undefined, body, models?.find(modelId)));
      return new RuntimeReply(result.output, usageHeaders(result));
    },
    converse(modelId, body) {
      inject(modelId, body);
      const traits = models?.find(modelId);
      if (shapeFor(modelId, undefined, traits?.shape) === 'titan') {
        throw new ApiError('ValidationException', "This model doesn't support the Converse operation.");
      }
      const result = answered(invokeModel(modelId, 'Converse', body, traits));
      return new RuntimeReply(result.output, {});
    },
  };
}
