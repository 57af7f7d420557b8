import { isUtf8 } from 'node:buffer';
import { DecodeError } from './DecodeError.js';
import { decodeUtf8 } from './utf8.js';

/** What `JSON.parse` gives. Objects from JSON.parse own `__proto__` as plain data (no pollution). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Decode a JSON payload (UTF-8, optional BOM): the value and the text. Numbers beyond ±2^53 lose precision in
 * the value, as in every JavaScript JSON reader; records and the pretty printer use the text, which keeps them.
 * @throws {DecodeError} (format `json`) with the offset `JSON.parse` reports.
 */
export function decodeJson(bytes: Uint8Array): { value: JsonValue; text: string } {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new DecodeError('json', 'invalid', firstInvalidUtf8(bytes), 'not valid UTF-8');
  try {
    // The text comes along: renderers lay out the text itself (exact digits and key order), not the value.
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as JsonValue, text };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const charPos = m ? Number(m[1]) : 0;
    return fail(Buffer.byteLength(text.slice(0, charPos)), message);
  }
}

function fail(offset: number, message: string): never {
  throw new DecodeError('json', 'syntax', offset, message.replace(/^Unexpected/, 'unexpected'));
}

/** Byte offset of the first byte that breaks UTF-8 (for messages). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length || !isUtf8(b.subarray(i, i + n))) return i;
    i += n;
  }
  return b.length;
}
