import { isUtf8 } from 'node:buffer';
import { DecodeError } from './DecodeError.js';

/** What `JSON.parse` gives. Objects from JSON.parse own `__proto__` as plain data (no pollution). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Decode a JSON payload (UTF-8, optional BOM). Numbers beyond ±2^53 lose precision, as in every
 * JavaScript JSON reader; the pretty printer shows the original digits from the text instead.
 * @throws {DecodeError} (format `json`) with the offset `JSON.parse` reports.
 */
export function decodeJson(bytes: Uint8Array): JsonValue {
  if (!isUtf8(bytes)) throw new DecodeError('json', 'invalid', firstInvalidUtf8(bytes), 'not valid UTF-8');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as JsonValue;
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
