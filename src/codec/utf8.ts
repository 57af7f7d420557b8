/**
 * Strict UTF-8: the text, or `undefined` when the bytes are not valid UTF-8 (overlongs, surrogates and
 * truncated sequences included). One fatal TextDecoder validates and decodes in a single pass, faster
 * than `isUtf8` followed by `Buffer#toString`; `ignoreBOM` keeps a leading U+FEFF as data.
 */
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}
