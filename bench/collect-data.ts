/**
 * The collect bench's shard: 50,000 Claude answers in json mode (a fenced JSON object per answer, 1% model
 * errors), lines shuffled, and its row sidecar. Deterministic; cached in bench/.data/collect (gitignored).
 */
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { PipelineDefinition } from '../lambda/core/contract/types';

/** Records in the shard. */
export const RECORDS = 50_000;
/** Where the shard and the results files go. */
export const dir = process.env.COLLECT_BENCH_DIR ?? join(import.meta.dirname, '.data', 'collect');
export const outFile = join(dir, `shard-0001.jsonl.out`);
export const rowsFile = join(dir, 'rows-shard-0001.jsonl');
/** The json-mode schema the answers are checked against. */
export const schema = {
  type: 'object',
  required: ['score', 'verdict', 'issues'],
  properties: {
    score: { type: 'integer', minimum: 1, maximum: 5 },
    verdict: { enum: ['pass', 'fail'] },
    issues: { type: 'array', items: { type: 'string' } },
    summary: { type: 'string' },
  },
};
/** The pipeline the shard was run with. */
export const pipeline: PipelineDefinition = {
  name: 'bench',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  promptTemplate: 'Context: {{Context}}\nResponse: {{Response}}',
  maxTokens: 1000,
  temperature: 0,
  invocationType: 'InvokeModel',
  output: { format: 'json', schema },
  minRecordsPerJob: 100,
  maxRecordsPerJob: 50_000,
  maxJobBytes: 1 << 30,
  timeoutHours: 24,
};

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'I feel anxious about work and cannot sleep well lately, what should I try tonight to calm down'.split(' ');

function sentence(rand: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
}

/** Writes with back-pressure. */
export async function write(stream: WriteStream, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

/** Ends the stream. */
export async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Writes the shard and its sidecar unless they are cached. */
export async function generate(): Promise<void> {
  if (existsSync(outFile) && existsSync(rowsFile)) return;
  mkdirSync(dir, { recursive: true });
  const rand = random(7);
  const rows = createWriteStream(rowsFile);
  const order = Array.from({ length: RECORDS }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cells = new Map<number, [string, string]>();
  for (let i = 1; i <= RECORDS; i++) {
    const cell: [string, string] = [sentence(rand, 120), sentence(rand, 60)];
    cells.set(i, cell);
    await write(rows, `${JSON.stringify({ recordId: String(i), row: i, cells: cell })}\n`);
  }
  await close(rows);
  const out = createWriteStream(outFile);
  for (const i of order) {
    const [context, response] = cells.get(i)!;
    const modelInput = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1000,
      system: 'You are a quality assurance auditor for a mental-health support service.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: `Context: ${context}\nResponse: ${response}` }] },
      ],
    };
    const answer = JSON.stringify({
      score: 1 + Math.floor(rand() * 5),
      verdict: rand() < 0.8 ? 'pass' : 'fail',
      issues: [sentence(rand, 12), sentence(rand, 10)],
      summary: sentence(rand, 40),
    });
    const line =
      rand() < 0.01
        ? {
            recordId: String(i),
            modelInput,
            error: { errorCode: 400, errorMessage: 'Malformed input request' },
          }
        : {
            modelInput,
            modelOutput: {
              id: `msg_bdrk_${i}`,
              type: 'message',
              role: 'assistant',
              model: 'claude-3-haiku-20240307',
              content: [{ type: 'text', text: `Here is the audit:\n\`\`\`json\n${answer}\n\`\`\`` }],
              stop_reason: 'end_turn',
              stop_sequence: null,
              usage: { input_tokens: 350, output_tokens: 120 },
            },
            recordId: String(i),
          };
    await write(out, `${JSON.stringify(line)}\n`);
  }
  await close(out);
}
