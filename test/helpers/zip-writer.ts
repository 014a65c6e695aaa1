/**
 * A minimal zip writer for test and bench fixtures (workbooks): deflated entries streamed with data
 * descriptors, so an entry of any size is written with bounded memory. Not part of the product.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { crc32, createDeflateRaw } from 'node:zlib';

interface Written {
  readonly name: Buffer;
  readonly offset: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
}

/** Writes a zip file entry by entry. */
export class ZipWriter {
  private readonly out: WriteStream;
  private offset = 0;
  private readonly entries: Written[] = [];

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  private async write(bytes: Buffer): Promise<void> {
    this.offset += bytes.length;
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }

  /** Adds an entry from a string, a Buffer, or an iterable of pieces (streamed through deflate). */
  async add(
    name: string,
    content: string | Buffer | AsyncIterable<string> | Iterable<string>,
  ): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const offset = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0808, 6); // data descriptor, UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt16LE(nameBytes.length, 26);
    await this.write(Buffer.concat([header, nameBytes]));
    const deflate = createDeflateRaw({ level: 1 });
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const pump = (async () => {
      for await (const chunk of deflate) {
        compressed += (chunk as Buffer).length;
        await this.write(chunk as Buffer);
      }
    })();
    const pieces = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content;
    for await (const piece of pieces as AsyncIterable<string | Buffer>) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      crc = crc32(bytes, crc);
      size += bytes.length;
      if (!deflate.write(bytes)) await once(deflate, 'drain');
    }
    deflate.end();
    await pump;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.write(descriptor);
    this.entries.push({ name: nameBytes, offset, crc: crc >>> 0, compressed, size });
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    this.out.end();
    await once(this.out, 'close');
  }
}
