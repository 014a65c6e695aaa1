import {
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  type InvokeModelCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { type BedrockEmulator, startBedrockEmulator } from '../../../local/bedrock/index';
import type { Faults } from '../../../local/faults';
import { type S3Server, startS3Server } from '../../../local/s3-server';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';

let s3Server: S3Server | undefined;
let emulator: BedrockEmulator | undefined;
let client: BedrockRuntimeClient | undefined;

afterEach(async () => {
  client?.destroy();
  await emulator?.close();
  await s3Server?.close();
  client = undefined;
  emulator = undefined;
  s3Server = undefined;
});

async function start(faults?: Faults): Promise<BedrockRuntimeClient> {
  s3Server = await startS3Server();
  emulator = await startBedrockEmulator({ s3: s3Server.client(), faults });
  client = new BedrockRuntimeClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
    maxAttempts: 1,
  });
  return client;
}

function claudeBody(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 200,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    ...extra,
  };
}

function invoke(modelId: string, body: unknown): InvokeModelCommand {
  const input: InvokeModelCommandInput = {
    modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
  return new InvokeModelCommand(input);
}

const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;

describe('the runtime endpoints with the unmodified SDK', () => {
  it('answers InvokeModel with the native Claude body, the same for the same request', async () => {
    const runtime = await start();
    const first = await runtime.send(invoke(CLAUDE, claudeBody('Summarise: the cat sat on the mat.')));
    const again = await runtime.send(invoke(CLAUDE, claudeBody('Summarise: the cat sat on the mat.')));
    const body = decode(first.body);
    expect(first.contentType).toBe('application/json');
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-3-haiku-20240307',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: expect.stringMatching(/^\[emulated\]/) }],
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
    expect(decode(again.body)).toEqual(body);
  });

  it('reports token counts in the X-Amzn-Bedrock-*-Token-Count headers', async () => {
    await start();
    const response = await fetch(`${emulator!.endpoint}/model/${encodeURIComponent(CLAUDE)}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(claudeBody('Count my tokens please.')),
    });
    const body = (await response.json()) as { usage: { input_tokens: number; output_tokens: number } };
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-bedrock-input-token-count')).toBe(String(body.usage.input_tokens));
    expect(response.headers.get('x-amzn-bedrock-output-token-count')).toBe(String(body.usage.output_tokens));
  });

  it('answers Converse with output.message, stopReason, usage and metrics', async () => {
    const runtime = await start();
    const out = await runtime.send(
      new ConverseCommand({
        modelId: NOVA,
        messages: [{ role: 'user', content: [{ text: 'Name a river in France.' }] }],
        system: [{ text: 'You answer briefly.' }],
        inferenceConfig: { maxTokens: 300, temperature: 0 },
      }),
    );
    expect(out.output?.message?.role).toBe('assistant');
    const text = out.output?.message?.content?.[0]?.text ?? '';
    expect(text.startsWith('[emulated]')).toBe(true);
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    expect(out.metrics?.latencyMs).toBeGreaterThan(0);
  });

  it('cuts a Converse answer at maxTokens with stopReason max_tokens', async () => {
    const runtime = await start();
    const out = await runtime.send(
      new ConverseCommand({
        modelId: CLAUDE,
        messages: [
          { role: 'user', content: [{ text: 'Write a long essay about rivers and their deltas.' }] },
        ],
        inferenceConfig: { maxTokens: 2 },
      }),
    );
    expect(out.stopReason).toBe('max_tokens');
    expect(out.usage?.outputTokens).toBeLessThanOrEqual(2);
  });

  it('refuses a malformed body with a 400 ValidationException naming the field', async () => {
    const runtime = await start();
    const { anthropic_version: _, ...body } = claudeBody('no version');
    await expect(runtime.send(invoke(CLAUDE, body))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining('anthropic_version: Field required'),
    });
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: 'amazon.titan-embed-text-v2:0',
          messages: [{ role: 'user', content: [{ text: 'embed me' }] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('returns the runtimeErrors in order with their HTTP codes, then answers', async () => {
    const runtime = await start({
      runtimeErrors: ['ThrottlingException', 'ServiceUnavailableException', 'ModelTimeoutException'],
    });
    const request = invoke(CLAUDE, claudeBody('retry me'));
    for (const [name, status] of [
      ['ThrottlingException', 429],
      ['ServiceUnavailableException', 503],
      ['ModelTimeoutException', 408],
    ] as const) {
      await expect(runtime.send(request)).rejects.toMatchObject({
        name,
        $metadata: { httpStatusCode: status },
      });
    }
    const out = await runtime.send(request);
    expect(decode(out.body).type).toBe('message');
    expect(emulator!.runtimeStats()).toEqual({ calls: 4, injected: 3 });
  });

  it('throttles about runtimeErrorRate of the calls, the same ones for the same seed, and retries get through', async () => {
    const throttledIndexes = async (seed: number) => {
      const runtime = await start({ runtimeErrorRate: 0.3, seed });
      const throttled: number[] = [];
      for (let i = 0; i < 60; i++) {
        const request = invoke(CLAUDE, claudeBody(`question ${i}`));
        let attempts = 0;
        for (;;) {
          attempts++;
          try {
            await runtime.send(request);
            break;
          } catch (error) {
            expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
            if (attempts === 1) throttled.push(i);
            expect(attempts).toBeLessThan(10);
          }
        }
      }
      client?.destroy();
      await emulator?.close();
      await s3Server?.close();
      client = undefined;
      emulator = undefined;
      s3Server = undefined;
      return throttled;
    };
    const first = await throttledIndexes(3);
    expect(first.length).toBeGreaterThanOrEqual(8);
    expect(first.length).toBeLessThanOrEqual(30);
    expect(await throttledIndexes(3)).toEqual(first);
    expect(await throttledIndexes(4)).not.toEqual(first);
  });

  it('serves the control plane on the same endpoint', async () => {
    await start();
    const response = await fetch(`${emulator!.endpoint}/model-invocation-job/abcdefghijkl`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  });
});
