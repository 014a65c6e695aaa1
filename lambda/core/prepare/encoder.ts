/**
 * Encodes records straight into UTF-8 bytes: the JSONL line Bedrock reads and the sidecar line Collect
 * reads. Both go into one arena (an ArrayBuffer holding the constant pieces, a slab of JSONL lines and
 * a slab of sidecar lines), so consecutive records are contiguous in each slab and are written without
 * copying, and every copy within the arena is one `copyWithin` (no Buffer view per copy). Everything
 * constant (the body around the prompt, the template's literal text, the system prompt) is encoded once
 * per run; per record each cell's bytes are escaped once (json-escape.ts) into the sidecar line, and
 * copied into the prompt where the template uses them. No cell is decoded to a JS string. The bytes
 * equal `JSON.stringify({recordId, modelInput})` + `\n` (see json-escape.ts).
 */

import type { PipelineDefinition } from '../contract/types';
import type { RawRow } from '../csv/parser';
import { controlTokenRule } from '../models/input/control-tokens';
import { bodyTemplate } from '../models/input/index';
import type { CompiledTemplate } from '../pipeline/prompt';
import { writeDecimal } from './decimal';
import { escapedBound, escapeJsonInto } from './json-escape';
import type { PendingRecord } from './shards';

const SLAB = 4 << 20;
/** A generated record id (limits.ts `rowRecordId`): `r`, then the row number padded to nine digits. */
const GENERATED_ID_PREFIX = 0x72;
const GENERATED_ID_DIGITS = 9;
/** The longest generated id: `r` and a row number below 2^53. */
const GENERATED_ID_BOUND = 17;

/** One encoded record (see {@link PendingRecord}). */
export interface EncodedRecord extends PendingRecord {
  /** UTF-8 bytes of the rendered prompt before escaping (for the token estimate). */
  readonly promptBytes: number;
  /**
   * `lines[promptStart, promptEnd)`: the model input's part that varies between records, from the
   * template's first cell to its last one (the pieces around it are the same for every record of a run).
   */
  readonly promptStart: number;
  readonly promptEnd: number;
}

/** A constant piece: `[at, end)` of the arena's constant region. */
interface Piece {
  readonly at: number;
  readonly end: number;
}

function inner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * Record encoder for one run.
 *
 * @example new RecordEncoder(p, compileTemplate(p.promptTemplate, header)).encode(null, 1, rawRow) // id r000000001
 */
export class RecordEncoder {
  private readonly constants: Buffer;
  private readonly head: Piece;
  /** The body up to the prompt's first cell, the literals between cells, the rest of the line. */
  private readonly opening: Piece;
  private readonly between: Piece[];
  private readonly closing: Piece;
  private readonly row: Piece;
  private readonly line: Piece;
  private readonly cells: Piece;
  private readonly replacement: Piece;
  private readonly literalBytes: number;
  private readonly fixedBytes: number;
  private arena = new Uint8Array(0);
  /** Arenas left behind, oldest first, and arenas whose bytes nobody needs any more (see recycle). */
  private readonly retired: Uint8Array<ArrayBuffer>[] = [];
  private readonly spare: Uint8Array<ArrayBuffer>[] = [];
  private recycling = false;
  private lines = Buffer.alloc(0);
  private sides = Buffer.alloc(0);
  /** Arena offsets of the two slabs, and the next free position in each (slab-relative). */
  private lineBase = 0;
  private sideBase = 0;
  private linePos = 0;
  private sidePos = 0;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Cell sizes in bytes of text (doubled quotes collapsed). */
  private readonly sizes: number[] = [];
  private readonly quotes = { pairs: 0 };
  /** The family's control-token opener (ASCII, unchanged by JSON escaping), if it has a rule. */
  private readonly opener: Buffer | undefined;

  constructor(
    p: PipelineDefinition,
    private readonly template: CompiledTemplate,
  ) {
    const { before, after } = bodyTemplate(p);
    const rule = controlTokenRule(p);
    this.opener = rule === undefined ? undefined : Buffer.from(rule.opener);
    const texts: string[] = [];
    let size = 0;
    const piece = (text: string): Piece => {
      texts.push(text);
      const at = size;
      size += Buffer.byteLength(text);
      return { at, end: size };
    };
    this.head = piece('{"recordId":"');
    // Adjacent constants are one piece (one copy per record): the body's start and the template's first
    // literal, the last literal and the body's end.
    const literals = template.literals.map(inner);
    const last = literals.length - 1;
    this.opening = piece(`","modelInput":${before}${literals[0]}`);
    this.between = literals.slice(1, last).map(piece);
    this.closing = piece(`${last > 0 ? literals[last] : ''}${after}}\n`);
    this.row = piece('","row":');
    this.line = piece(',"line":');
    this.cells = piece(',"cells":[');
    this.replacement = piece(rule?.replacement ?? '');
    this.constants = Buffer.from(texts.join(''));
    this.literalBytes = template.literals.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
    this.fixedBytes = 200 + this.constants.length;
  }

  /**
   * Encodes one row whose cell count matches the header; `recordId` is ASCII without quotes, or null
   * for the row's generated id (`rowRecordId(row)`, written as bytes without making the string).
   */
  encode(recordId: string | null, row: number, raw: RawRow): EncodedRecord {
    const { columns } = this.template;
    const { data, bounds, owned } = raw;
    const count = bounds.length >> 1;
    const { sizes } = this;
    let worst = this.fixedBytes + 2 * (recordId === null ? GENERATED_ID_BOUND : recordId.length);
    for (let i = 0; i < count; i++) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      // A cell with doubled quotes counts its raw size here; its text size is known once escaped.
      sizes[i] = start < 0 ? owned[-start - 1]!.length : (end < 0 ? ~end : end) - start;
      worst += escapedBound(sizes[i]!) + 1;
    }
    for (const c of columns) worst += escapedBound(sizes[c]!);
    this.reserve(worst);
    const { starts, ends, arena } = this;
    const sideStart = this.sidePos;
    let pos = this.put(this.head, this.sideBase + sideStart);
    const idStart = pos;
    if (recordId === null) {
      arena[pos++] = GENERATED_ID_PREFIX;
      pos = writeDecimal(arena, pos, row, GENERATED_ID_DIGITS);
    } else for (let k = 0; k < recordId.length; k++) arena[pos++] = recordId.charCodeAt(k);
    const idEnd = pos;
    pos = writeDecimal(arena, this.put(this.row, pos), row);
    pos = writeDecimal(arena, this.put(this.line, pos), raw.line);
    pos = this.put(this.cells, pos);
    for (let i = 0; i < count; i++) {
      if (i > 0) arena[pos++] = 0x2c;
      starts[i] = pos + 1;
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      if (start < 0) pos = escapeJsonInto(owned[-start - 1]!, 0, sizes[i]!, arena, pos);
      else if (end >= 0) pos = escapeJsonInto(data, start, end, arena, pos);
      else {
        const quotes = this.quotes;
        quotes.pairs = 0;
        pos = escapeJsonInto(data, start, ~end, arena, pos, quotes);
        sizes[i] = sizes[i]! - quotes.pairs;
      }
      ends[i] = pos - 1;
    }
    arena[pos++] = 0x5d;
    arena[pos++] = 0x7d;
    arena[pos++] = 0x0a;
    this.sidePos = pos - this.sideBase;
    const lineStart = this.linePos;
    pos = this.put(this.head, this.lineBase + lineStart);
    arena.copyWithin(pos, idStart, idEnd);
    pos = this.put(this.opening, pos + idEnd - idStart);
    const promptStart = pos - this.lineBase;
    let promptEnd = promptStart;
    let promptBytes = this.literalBytes;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      promptBytes += sizes[c]!;
      if (this.opener === undefined) {
        arena.copyWithin(pos, starts[c]!, ends[c]!);
        pos += ends[c]! - starts[c]!;
      } else {
        const end = this.copyGuarded(starts[c]!, ends[c]!, pos);
        promptBytes += end - pos - (ends[c]! - starts[c]!);
        pos = end;
      }
      promptEnd = pos - this.lineBase;
      if (k < columns.length - 1) pos = this.put(this.between[k]!, pos);
    }
    pos = this.put(this.closing, pos);
    this.linePos = pos - this.lineBase;
    return {
      lines: this.lines,
      lineStart,
      lineEnd: this.linePos,
      sides: this.sides,
      sideStart,
      sideEnd: this.sidePos,
      promptBytes,
      promptStart,
      promptEnd,
    };
  }

  /** Copies a constant piece to arena position `pos`; returns the position after it. */
  private put(piece: Piece, pos: number): number {
    this.arena.copyWithin(pos, piece.at, piece.end);
    return pos + piece.end - piece.at;
  }

  /**
   * Copies the arena's escaped cell bytes `[from, to)` to `pos` with every opener replaced (the opener
   * and the replacement are ASCII that JSON leaves unescaped, so this equals escaping the neutralised
   * text). The replacement adds at most half the cell's length, within the escaped bound reserved.
   */
  private copyGuarded(from: number, to: number, pos: number): number {
    const opener = this.opener!;
    const cell = Buffer.from(this.arena.buffer, from, to - from);
    let at = 0;
    for (let hit = cell.indexOf(opener); hit >= 0; hit = cell.indexOf(opener, at)) {
      this.arena.copyWithin(pos, from + at, from + hit);
      pos = this.put(this.replacement, pos + hit - at);
      at = hit + opener.length;
    }
    this.arena.copyWithin(pos, from + at, to);
    return pos + to - from - at;
  }

  /**
   * Lets the arenas left behind before the one holding `oldest` (all of them when undefined) be reused
   * once `released` resolves: the caller has written every record they hold except those from `oldest`
   * on, and `released` says the writes no longer need the bytes. Reuse spares the page faults and the
   * garbage collections that a fresh 8 MB arena per 4 MB of output costs. Call it after every batch;
   * `released` is undefined when a sink cannot tell: the arenas go to the garbage collector. (File sinks
   * and S3 uploads tell; the deployed Prepare allocates 5 arenas for a 200 MB file instead of 61.)
   */
  recycle(oldest: PendingRecord | undefined, released: Promise<void> | undefined): void {
    if (released === undefined) {
      this.recycling = false;
      this.retired.length = 0;
      return;
    }
    this.recycling = true;
    const held = oldest === undefined ? -1 : this.retired.findIndex((a) => a.buffer === oldest.lines.buffer);
    const done = this.retired.splice(0, held < 0 ? this.retired.length : held);
    // A sink that fails is not trusted with its bytes: those arenas are left to the garbage collector.
    if (done.length > 0)
      released.then(
        () => this.spare.push(...done),
        () => undefined,
      );
  }

  /** Starts another arena when either slab lacks `bytes`; records already encoded keep the old one. */
  private reserve(bytes: number): void {
    if (this.sidePos + bytes <= this.sides.length && this.linePos + bytes <= this.lines.length) return;
    const slab = Math.max(SLAB, bytes);
    const size = this.constants.length;
    // Only arenas of the usual size are reused (a record larger than a slab gets one of its own).
    if (this.recycling && this.lines.length === SLAB) this.retired.push(this.arena);
    const spare = slab === SLAB ? this.spare.pop() : undefined;
    this.arena = spare ?? this.allocate(size + 2 * slab);
    this.lineBase = size;
    this.sideBase = size + slab;
    this.lines = Buffer.from(this.arena.buffer, this.lineBase, slab);
    this.sides = Buffer.from(this.arena.buffer, this.sideBase, slab);
    this.linePos = 0;
    this.sidePos = 0;
  }

  /**
   * A new arena with the constant pieces at its start. Not zero-filled: only bytes the encoder has
   * written are ever read or written out.
   */
  private allocate(bytes: number): Uint8Array<ArrayBuffer> {
    const arena = new Uint8Array(Buffer.allocUnsafeSlow(bytes).buffer, 0, bytes);
    arena.set(this.constants, 0);
    return arena;
  }
}
