import { DecodeError, type PayloadFormat } from './DecodeError.js';
import { detectFormat } from './detect.js';
import { decodeEtf } from './etf/decode.js';
import type { Term } from './etf/term.js';
import { decodeJson, type JsonValue } from './json.js';
import { decodeMsgpack, type MsgpackValue } from './msgpack.js';

/** A format to decode as, or `auto` to detect it per payload. */
export type FormatChoice = 'auto' | PayloadFormat;

/** A payload decoded in the format it was detected (or declared) to be. */
export type Decoded =
  | { readonly format: 'etf'; readonly term: Term }
  | { readonly format: 'json'; readonly value: JsonValue; readonly text: string }
  | { readonly format: 'msgpack'; readonly value: MsgpackValue }
  | { readonly format: 'text'; readonly text: string }
  | { readonly format: 'binary'; readonly bytes: Uint8Array };

export type DecodeOutcome = { readonly ok: true; readonly decoded: Decoded } | { readonly ok: false; readonly format: PayloadFormat; readonly error: DecodeError };

/**
 * Decode `bytes` as `format`, or detect it (`auto`, see {@link detectFormat}). Never throws for bad
 * input: a failure is an outcome with the typed error, so a stream of messages goes on.
 */
export function decodePayload(bytes: Uint8Array, format: FormatChoice): DecodeOutcome {
  let cached: Decoded | undefined;
  const chosen =
    format !== 'auto'
      ? format
      : detectFormat(bytes, (candidate) => {
          try {
            cached = decodeAs(bytes, candidate);
            return true;
          } catch {
            return false;
          }
        });
  try {
    const decoded = cached !== undefined && cached.format === chosen ? cached : decodeAs(bytes, chosen);
    return { ok: true, decoded };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, format: chosen, error: e };
    throw e;
  }
}

function decodeAs(bytes: Uint8Array, format: PayloadFormat): Decoded {
  switch (format) {
    case 'etf':
      return { format, term: decodeEtf(bytes) };
    case 'json':
      return { format, ...decodeJson(bytes) };
    case 'msgpack':
      return { format, value: decodeMsgpack(bytes) };
    case 'text': {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      return { format, text };
    }
    case 'binary':
      return { format, bytes };
  }
}
