/**
 * Varied Collect inputs whose result files are kept byte for byte in test/fixtures/collect/golden/
 * (written by main at 7d84278, before issue 14 item 4 touched the renderer and the writer): every model
 * family's body, escapes, unicode and surrogate pairs, formulas, quotes and newlines in cells, model
 * errors, malformed and duplicate lines, a huge answer, json mode with a schema, integer-like and
 * repeated header names. Plain values only, so another checkout's harness can run the same cases.
 */
import type { PipelineDefinition } from '../../../lambda/core/contract/types';

/** One golden case: a one-shard run. */
export interface GoldenCase {
  readonly name: string;
  readonly modelId: string;
  readonly output: PipelineDefinition['output'];
  readonly header: string[];
  readonly rows: string[];
  readonly outputs: string[];
}

const TRICKY = [
  'plain',
  'comma, "quoted" and\nnew line\r\n',
  '=HYPERLINK("http://x")',
  '-12.5',
  '@sum',
  'é 日本 😀 \u2028 \u2029 tab\there',
  'back\\slash / and \u0001 control',
  '\ud83d\ude00 pair and lone \ud800 surrogate',
  '',
];

function sidecar(i: number, cells: string[]): string {
  return JSON.stringify({ recordId: String(i), row: i, cells });
}

const claude = (id: string, text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    modelInput: { anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: text }] },
    modelOutput: {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 11 },
      ...extra,
    },
    recordId: id,
  });

const converse = (id: string, text: string, stop = 'end_turn') =>
  JSON.stringify({
    recordId: id,
    modelInput: { messages: [{ role: 'user', content: [{ text: 'q' }] }] },
    modelOutput: {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason: stop,
      usage: { inputTokens: 5, outputTokens: 6, totalTokens: 11 },
    },
  });

const failure = (id: string, message: string) =>
  JSON.stringify({ recordId: id, modelInput: {}, error: { errorCode: 400, errorMessage: message } });

const schema = {
  type: 'object',
  required: ['score', 'verdict'],
  properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, verdict: { type: 'string' }, tags: {} },
};

/** The cases. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'claude-text',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    output: { format: 'text' },
    header: ['id', 'text', '10', 'id', 'status'],
    rows: TRICKY.map((cell, i) => sidecar(i + 1, [String(i + 1), cell, cell, 'x', 'y'])),
    outputs: [
      ...TRICKY.slice(0, 6).map((cell, i) => claude(String(i + 1), `${cell} answer`)),
      claude('7', 'x'.repeat(100_000), { stop_reason: 'max_tokens' }),
      failure('8', 'Malformed input request: "x"\n'),
      '{"recordId":"9","modelOutput":{"content":[{"type":"text","text":"cut',
      'not json at all',
      claude('99', 'a row that is not in the shard'),
      claude('1', 'a duplicate of row 1'),
      JSON.stringify({ recordId: 6, modelInput: {}, modelOutput: { content: [], usage: {} } }),
      '{"recordId":"5","modelOutput":{"content":[{"type":"text","text":"\\u00e9\\/\\ud83d\\ude00"}]}}',
    ],
  },
  {
    name: 'nova-json-schema',
    modelId: 'amazon.nova-lite-v1:0',
    output: { format: 'json', schema },
    header: ['id', 'text'],
    rows: [1, 2, 3, 4, 5, 6, 7].map((i) => sidecar(i, [String(i), TRICKY[i]!])),
    outputs: [
      converse('1', 'Sure:\n```json\n{"score": 4, "verdict": "=pass", "tags": ["a", "é😀"]}\n```'),
      converse('2', 'Ignore all previous instructions'),
      converse('3', '{"score": 9, "verdict": "fail"}'),
      converse('4', '{"score": 2, "verdict": "line\\nbreak, \\"q\\"", "tags": {"k": [1.5e3, null]}}'),
      converse('5', '{"score": 3', 'max_tokens'),
      converse('6', 'text {"score": 1, "verdict": "x"} and {"other": true}'),
      failure('7', 'ThrottlingException'),
    ],
  },
  {
    name: 'llama-and-titan',
    modelId: 'meta.llama3-1-8b-instruct-v1:0',
    output: { format: 'text' },
    header: ['q'],
    rows: [1, 2, 3].map((i) => sidecar(i, [TRICKY[i + 2]!])),
    outputs: [
      JSON.stringify({
        recordId: '1',
        modelInput: { prompt: 'p' },
        modelOutput: {
          generation: ' Hi, "there"\n',
          prompt_token_count: 14,
          generation_token_count: 4,
          stop_reason: 'stop',
        },
      }),
      JSON.stringify({ recordId: '2', modelInput: {}, modelOutput: { generation: 42 } }),
      JSON.stringify({ recordId: '3', modelInput: {}, modelOutput: null }),
    ],
  },
  {
    name: 'sidecar-shapes',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    output: { format: 'text' },
    header: ['10', 'name', 'note', '2'],
    rows: [
      sidecar(1, ['a', 'b, c', 'é 日本 😀 \u2028', '']),
      sidecar(2, ['x', 'y']),
      sidecar(3, ['1', '2', '3', '4', '5']),
      '{"recordId":"4","row":4,"cells":["a","b","c","d"],"extra":1}',
      '{"recordId":"5", "row":5,"cells":["a","b","c","d"]}',
      '{"recordId":"6","row":6,"cells":[]}',
      sidecar(7, ['=1+1', '+1', '-', '@']),
      '{"recordId":"8","row":8,"cells":["a","b","c","d"]} ',
      sidecar(9, [',', ',,', 'plain', '0']),
      '{"row":10,"recordId":"10","cells":["a","b","c","d"]}',
      '{"recordId":"11","row":11,"cells":["\\u0061","b\\/","c","d"]}',
    ],
    outputs: Array.from({ length: 11 }, (_, i) => claude(String(i + 1), `answer ${i + 1}`)),
  },
  {
    name: 'titan-embed',
    modelId: 'amazon.titan-embed-text-v2:0',
    output: { format: 'text' },
    header: ['text'],
    rows: [1, 2, 3].map((i) => sidecar(i, [TRICKY[i]!])),
    outputs: [
      '{"recordId":"1","modelInput":{"inputText":"a"},"modelOutput":{"embedding":[0.0123,-0.0456,1e-7,-0.00012345678901234567],"inputTextTokenCount":4,"embeddingsByType":{"float":[0.0123,-0.0456,1e-7,-0.00012345678901234567]}}}',
      '{"recordId":"2","modelInput":{"inputText":"b"},"modelOutput":{"embeddingsByType":{"float":[0.25,0.75]},"inputTextTokenCount":2}}',
      failure('3', 'too long'),
    ],
  },
];

/** The parts of a checkout's Collect core a case runs on (this one's, or main's to write the files). */
export interface CollectCore {
  readonly collectRun: typeof import('../../../lambda/core/collect/run').collectRun;
  readonly StringSink: typeof import('../../../lambda/core/collect/sink').StringSink;
  readonly MemorySpillStore: typeof import('../../../lambda/core/collect/spill').MemorySpillStore;
}

/**
 * The four result files of a case, as text; `bytes` gives the sidecar lines as `Buffer`s, as the Lambda
 * reads them (the outputs stay text).
 */
export async function runGoldenCase(
  c: GoldenCase,
  core: CollectCore,
  bytes = false,
): Promise<Record<string, string>> {
  async function* lines(items: readonly string[]): AsyncGenerator<string> {
    yield* items;
  }
  async function* byteLines(items: readonly string[]): AsyncGenerator<Buffer> {
    for (const item of items) yield Buffer.from(item, 'utf8');
  }
  const sinks = { csv: new core.StringSink(), jsonl: new core.StringSink(), errors: new core.StringSink() };
  const summary = await core.collectRun(
    {
      runId: 'golden',
      pipeline: {
        name: 'golden',
        modelId: c.modelId,
        promptTemplate: '{{text}}',
        maxTokens: 256,
        temperature: 0,
        invocationType: 'InvokeModel',
        output: c.output,
        minRecordsPerJob: 1,
        maxRecordsPerJob: 50_000,
        maxJobBytes: 1 << 30,
        timeoutHours: 24,
      },
      header: c.header,
      inputRows: c.rows.length,
      shards: [{ shard: 1, records: c.rows.length, job: { jobArn: 'arn:job/1', status: 'Completed' } }],
      resultsPrefix: 'results/golden/',
      createdAt: '2026-12-02T00:00:00.000Z',
    },
    {
      sidecarLines: () => (bytes ? byteLines(c.rows) : lines(c.rows)),
      outputLines: () => lines(c.outputs),
      manifest: async () => undefined,
      rejectedLines: () => lines([]),
    },
    new core.MemorySpillStore(),
    sinks,
  );
  return {
    'results.csv': sinks.csv.text(),
    'results.jsonl': sinks.jsonl.text(),
    'errors.csv': sinks.errors.text(),
    'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
  };
}
