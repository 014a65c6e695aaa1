/** Small helpers over saxes for SpreadsheetML: names without namespace prefixes, text of whole parts. */

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { InvalidWorkbookError } from '../../contract/errors';

/** An element's attributes by local name (prefix dropped: `r:id` is `id`). */
export type Attributes = Readonly<Record<string, string>>;

/** Handlers of {@link parseXml}: element names are local names. */
export interface XmlHandlers {
  open?(name: string, attributes: Attributes): void;
  text?(text: string): void;
  close?(name: string): void;
}

function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function localAttributes(raw: Record<string, string>): Attributes {
  let prefixed = false;
  for (const key in raw) {
    if (key.includes(':')) {
      prefixed = true;
      break;
    }
  }
  if (!prefixed) return raw;
  const out: Record<string, string> = {};
  for (const key in raw) {
    if (key.startsWith('xmlns')) continue;
    out[local(key)] = raw[key]!;
  }
  return out;
}

function parser(part: string, handlers: XmlHandlers): SaxesParser {
  const sax = new SaxesParser({ position: false });
  const { open, text, close } = handlers;
  if (open)
    sax.on('opentag', (tag) =>
      open(local(tag.name), localAttributes(tag.attributes as Record<string, string>)),
    );
  if (text) sax.on('text', text);
  if (close) sax.on('closetag', (tag) => close(local(tag.name)));
  sax.on('error', (error) => {
    throw new InvalidWorkbookError(`The workbook part ${part} is not well-formed XML (${error.message}).`);
  });
  return sax;
}

/** Parses a whole (small) part. */
export function parseXml(part: string, xml: string, handlers: XmlHandlers): void {
  parser(part, handlers).write(xml).close();
}

/**
 * Parses a part from a stream, calling `after` after each chunk (to hand over what it completed).
 *
 * @example for await (const _ of parseXmlStream('xl/worksheets/sheet1.xml', stream, handlers)) flush();
 */
export async function* parseXmlStream(
  part: string,
  stream: Readable,
  handlers: XmlHandlers,
): AsyncGenerator<void> {
  const sax = parser(part, handlers);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream) {
    sax.write(decoder.write(chunk as Buffer));
    yield;
  }
  sax.write(decoder.end());
  sax.close();
  yield;
}

/** OOXML's escape of characters XML cannot hold: `_x000D_` is a carriage return, `_x005F_` an underscore. */
export function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
