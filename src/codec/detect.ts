import { isUtf8 } from 'node:buffer';
import type { PayloadFormat } from './DecodeError.js';
import { VERSION } from './etf/tags.js';

/**
 * Which format a payload is, by these rules, first match wins (documented in the README):
 * 1. `etf` when the first byte is 131 (the ETF version byte; no JSON, text or common msgpack value starts so);
 * 2. `json` when it is valid UTF-8 whose first non-blank character opens a JSON value (`{ [ " - 0-9 t f n`)
 *    and the whole text parses as JSON;
 * 3. `msgpack` when the first byte is a map or array header (fixmap 0x80–0x8f, fixarray 0x90–0x9f,
 *    array16/32 0xdc/0xdd, map16/32 0xde/0xdf) and the bytes are exactly one msgpack value
 *    (the envelope of every framework that uses msgpack on Redis is an array or a map; scalars would
 *    claim plain text: "a" is also the msgpack integer 97);
 * 4. `text` when it is valid UTF-8 with no control characters other than tab, newline, carriage return
 *    and escape (the empty payload is text);
 * 5. `binary` otherwise.
 *
 * `decodes` reports whether a candidate format decodes; it is passed in so this stays a pure function.
 */
export function detectFormat(bytes: Uint8Array, decodes: (format: 'json' | 'msgpack') => boolean): PayloadFormat {
  const first = bytes[0];
  if (first === VERSION) return 'etf';
  const utf8 = isUtf8(bytes);
  if (utf8 && startsLikeJson(bytes) && decodes('json')) return 'json';
  if (first !== undefined && isMsgpackContainer(first) && decodes('msgpack')) return 'msgpack';
  if (utf8 && !hasControl(bytes)) return 'text';
  return 'binary';
}

function startsLikeJson(b: Uint8Array): boolean {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3; // BOM
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  const c = b[i];
  if (c === undefined) return false;
  // { [ " - 0-9 t f n
  return c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
}

function isMsgpackContainer(b: number): boolean {
  return (b >= 0x80 && b <= 0x9f) || b === 0xdc || b === 0xdd || b === 0xde || b === 0xdf;
}

function hasControl(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b) || c === 0x7f) return true;
    // C1 controls U+0080–U+009F are encoded as 0xC2 0x80–0x9F.
    if (c === 0xc2 && i + 1 < b.length && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) return true;
  }
  return false;
}
