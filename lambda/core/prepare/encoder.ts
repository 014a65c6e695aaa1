/**
 * Encodes records straight into UTF-8 byte slabs (one for JSONL lines, one for sidecar lines, so
 * consecutive records are contiguous and can be written without copying): the JSONL line Bedrock reads
 * and the sidecar line Collect reads. Everything constant (the body around the prompt, the template's literal text, the
 * system prompt) is encoded once per run; per record each cell's bytes are escaped once (json-escape.ts), written into
 * the sidecar line, and copied into the prompt where the template uses them. No cell is decoded to a
 * JS string. The bytes equal `JSON.stringify({recordId, modelInput})` + `\n` (see json-escape.ts).
 */

import type { PipelineDefinition } from '../contract/types';
import type { RawRow } from '../csv/parser';
import { controlTokenRule } from '../models/input/control-tokens';
import { bodyTemplate } from '../models/input/index';
import type { CompiledTemplate } from '../pipeline/prompt';
import { escapedBound, escapeJsonInto } from './json-escape';
import type { PendingRecord } from './shards';

const SLAB = 4 << 20;

/** One encoded record (see {@link PendingRecord}). */
export interface EncodedRecord extends PendingRecord {
  /** UTF-8 bytes of the rendered prompt before escaping (for the token estimate). */
  readonly promptBytes: number;
}

function inner(text: string): Buffer {
  return Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8');
}

/**
 * Record encoder for one run.
 *
 * @example new RecordEncoder(p, compileTemplate(p.promptTemplate, header)).encode('r000000001', 1, rawRow)
 */
export class RecordEncoder {
  private sides = Buffer.allocUnsafe(SLAB);
  private sidePos = 0;
  private lines = Buffer.allocUnsafe(SLAB);
  private linePos = 0;
  private readonly head = Buffer.from('{"recordId":"');
  private readonly body: Buffer;
  private readonly literals: Buffer[];
  private readonly literalBytes: number;
  private readonly tail: Buffer;
  private readonly fixedBytes: number;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly sizes: number[] = [];
  /** The family's control-token rule as bytes (ASCII, unchanged by JSON escaping), if it has one. */
  private readonly guard: { readonly opener: Buffer; readonly replacement: Buffer } | undefined;

  constructor(
    p: PipelineDefinition,
    private readonly template: CompiledTemplate,
  ) {
    const { before, after } = bodyTemplate(p);
    const rule = controlTokenRule(p);
    this.guard =
      rule === undefined
        ? undefined
        : { opener: Buffer.from(rule.opener), replacement: Buffer.from(rule.replacement) };
    this.body = Buffer.from(`","modelInput":${before}`);
    this.literals = template.literals.map(inner);
    this.literalBytes = template.literals.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
    this.tail = Buffer.from(`${after}}\n`);
    this.fixedBytes =
      200 +
      this.head.length +
      this.body.length +
      this.tail.length +
      this.literals.reduce((s, b) => s + b.length, 0);
  }

  /** Encodes one row whose cell count matches the header; `recordId` is ASCII without quotes. */
  encode(recordId: string, row: number, raw: RawRow): EncodedRecord {
    const { columns } = this.template;
    const { data, bounds, owned } = raw;
    const count = bounds.length >> 1;
    const { sizes } = this;
    let worst = this.fixedBytes + 2 * recordId.length;
    for (let i = 0; i < count; i++) {
      const start = bounds[2 * i]!;
      sizes[i] = start < 0 ? owned[-start - 1]!.length : bounds[2 * i + 1]! - start;
      worst += escapedBound(sizes[i]!) + 1;
    }
    for (const c of columns) worst += escapedBound(sizes[c]!);
    this.reserve(worst);
    const { starts, ends, sides, lines } = this;
    const sideStart = this.sidePos;
    let pos =
      sideStart +
      sides.write(`{"recordId":"${recordId}","row":${row},"line":${raw.line},"cells":[`, sideStart, 'latin1');
    for (let i = 0; i < count; i++) {
      if (i > 0) sides[pos++] = 0x2c;
      starts[i] = pos + 1;
      const start = bounds[2 * i]!;
      pos =
        start < 0
          ? escapeJsonInto(owned[-start - 1]!, 0, sizes[i]!, sides, pos)
          : escapeJsonInto(data, start, bounds[2 * i + 1]!, sides, pos);
      ends[i] = pos - 1;
    }
    sides[pos++] = 0x5d;
    sides[pos++] = 0x7d;
    sides[pos++] = 0x0a;
    this.sidePos = pos;
    const lineStart = this.linePos;
    pos = lineStart + this.head.copy(lines, lineStart);
    pos += lines.write(recordId, pos, 'latin1');
    pos += this.body.copy(lines, pos);
    pos += this.literals[0]!.copy(lines, pos);
    let promptBytes = this.literalBytes;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      promptBytes += sizes[c]!;
      if (this.guard === undefined) pos += sides.copy(lines, pos, starts[c]!, ends[c]!);
      else {
        const end = this.copyGuarded(sides, starts[c]!, ends[c]!, lines, pos);
        promptBytes += end - pos - (ends[c]! - starts[c]!);
        pos = end;
      }
      pos += this.literals[k + 1]!.copy(lines, pos);
    }
    pos += this.tail.copy(lines, pos);
    this.linePos = pos;
    return { lines, lineStart, lineEnd: pos, sides, sideStart, sideEnd: this.sidePos, promptBytes };
  }

  /**
   * Copies escaped cell bytes with every opener replaced (the opener and the replacement are ASCII
   * that JSON leaves unescaped, so this equals escaping the neutralised text). The replacement adds at
   * most half the cell's length, within the escaped bound reserved for it.
   */
  private copyGuarded(src: Buffer, from: number, to: number, dst: Buffer, pos: number): number {
    const { opener, replacement } = this.guard!;
    const cell = src.subarray(from, to);
    let at = 0;
    for (let hit = cell.indexOf(opener); hit >= 0; hit = cell.indexOf(opener, at)) {
      pos += cell.copy(dst, pos, at, hit);
      pos += replacement.copy(dst, pos);
      at = hit + opener.length;
    }
    return pos + cell.copy(dst, pos, at, cell.length);
  }

  private reserve(bytes: number): void {
    if (this.sidePos + bytes > this.sides.length) {
      this.sides = Buffer.allocUnsafe(Math.max(SLAB, bytes));
      this.sidePos = 0;
    }
    if (this.linePos + bytes > this.lines.length) {
      this.lines = Buffer.allocUnsafe(Math.max(SLAB, bytes));
      this.linePos = 0;
    }
  }
}
