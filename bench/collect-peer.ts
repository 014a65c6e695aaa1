/**
 * The collect bench's peer: the straightforward program a team would write for the same shard, as the
 * public samples do it. Every output line is parsed into a map in memory, its answer taken from the fence
 * and re-serialised; then the sidecar is read in order and both rows rendered from its cells into
 * peer-results.csv and peer-results.jsonl, the same bytes as Collect's results.csv and results.jsonl for
 * this shard (the bench compares them). No spill (memory grows with the shard), no schema check, no
 * counts, no malformed lines handled. It imports no product code: a peer, as pandas is for Prepare.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { dir, outFile, rowsFile } from './collect-data';

interface BedrockLine {
  recordId: string;
  modelOutput?: {
    content: { text: string }[];
    stop_reason: string;
    usage: { input_tokens: number; output_tokens: number };
  };
  error?: { errorCode: number; errorMessage: string };
}

/** A record's columns from `output` on, for both files. */
interface Outcome {
  status: string;
  csv: string;
  json: string;
}

const FENCE = /```json\n([\s\S]*?)\n```/;

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function outcomeOf(line: BedrockLine, fields: readonly string[]): Outcome {
  const body = line.modelOutput;
  if (body === undefined) {
    const empty = fields.map(() => '').join(',');
    const message = `${line.error!.errorCode}: ${line.error!.errorMessage}`;
    return {
      status: 'error',
      csv: `,${empty},,,,MODEL_ERROR,${csvCell(message)}`,
      json: `"output":"","input_tokens":null,"output_tokens":null,"stop_reason":null,"error_code":"MODEL_ERROR","error_message":${JSON.stringify(message)},"model_error":${JSON.stringify(line.error)}`,
    };
  }
  const answer = JSON.parse(FENCE.exec(body.content[0]!.text)![1]!) as Record<string, unknown>;
  const output = JSON.stringify(answer);
  const { input_tokens: inTokens, output_tokens: outTokens } = body.usage;
  return {
    status: 'ok',
    csv: `${csvCell(output)},${fields.map((f) => csvCell(cellOf(answer[f]))).join(',')},${inTokens},${outTokens},${body.stop_reason},,`,
    json: `"output":${JSON.stringify(output)},"fields":${output},"input_tokens":${inTokens},"output_tokens":${outTokens},"stop_reason":${JSON.stringify(body.stop_reason)},"error_code":null,"error_message":null,"model_output":${JSON.stringify(body)}`,
  };
}

async function* lines(path: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, encoding: 'utf8' })) {
    const text = rest + (chunk as string);
    let at = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
      yield text.slice(at, nl);
      at = nl + 1;
    }
    rest = text.slice(at);
  }
  if (rest.length > 0) yield rest;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

/** Writes peer-results.csv and peer-results.jsonl into the bench folder; returns the rows written. */
export async function collectPeer(header: readonly string[], fields: readonly string[]): Promise<number> {
  const outcomes = new Map<string, Outcome>();
  for await (const line of lines(outFile)) {
    const parsed = JSON.parse(line) as BedrockLine;
    outcomes.set(parsed.recordId, outcomeOf(parsed, fields));
  }
  const csv = createWriteStream(join(dir, 'peer-results.csv'), { highWaterMark: 1 << 20 });
  const jsonl = createWriteStream(join(dir, 'peer-results.jsonl'), { highWaterMark: 1 << 20 });
  const columns = ['record_id', 'status', 'output', ...fields.map((f) => `output.${f}`)];
  const tail = ['input_tokens', 'output_tokens', 'stop_reason', 'error_code', 'error_message'];
  let csvRows = `\ufeff${[...header, ...columns, ...tail].join(',')}\r\n`;
  let jsonRows = '';
  let rows = 0;
  for await (const line of lines(rowsFile)) {
    const side = JSON.parse(line) as { recordId: string; row: number; cells: string[] };
    const outcome = outcomes.get(side.recordId)!;
    const input = header
      .map((name, i) => `${JSON.stringify(name)}:${JSON.stringify(side.cells[i])}`)
      .join(',');
    csvRows += `${side.cells.map(csvCell).join(',')},${side.recordId},${outcome.status},${outcome.csv}\r\n`;
    jsonRows += `{"row":${side.row},"record_id":${JSON.stringify(side.recordId)},"status":"${outcome.status}","input":{${input}},${outcome.json}}\n`;
    if (++rows % 500 === 0) {
      await Promise.all([write(csv, csvRows), write(jsonl, jsonRows)]);
      csvRows = '';
      jsonRows = '';
    }
  }
  await Promise.all([write(csv, csvRows), write(jsonl, jsonRows)]);
  await Promise.all([
    new Promise((resolve) => csv.end(resolve)),
    new Promise((resolve) => jsonl.end(resolve)),
  ]);
  return rows;
}
