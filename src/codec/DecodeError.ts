/** The payload formats redis-print knows. */
export type PayloadFormat = 'etf' | 'msgpack' | 'json' | 'text' | 'binary';

/**
 * Why a payload could not be decoded. Codes are stable (they appear in `--json` records):
 * - `truncated`: the input ends before a declared length or element count is satisfied;
 * - `bad_version`: an ETF payload that does not start with 131;
 * - `unknown_tag`: a byte that is no term tag `term_to_binary` produces;
 * - `trailing_bytes`: the term ended before the input did;
 * - `too_large`: a declared size beyond a configured limit (bignum digits, inflated size);
 * - `bad_compressed`: a COMPRESSED term that does not inflate to exactly its declared size;
 * - `invalid`: a field with an impossible value (bit count, float text, arity, UTF-8 atom);
 * - `syntax`: text that is not valid in the format (JSON, input hex/base64).
 */
export type DecodeErrorCode =
  | 'truncated'
  | 'bad_version'
  | 'unknown_tag'
  | 'trailing_bytes'
  | 'too_large'
  | 'bad_compressed'
  | 'invalid'
  | 'syntax';

/** The one error every payload decoder throws. It carries data, so a bad payload becomes a record. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly format: PayloadFormat,
    readonly code: DecodeErrorCode,
    /** Byte offset in the payload where the problem was found. */
    readonly offset: number,
    /** A sentence a person can act on, without the format/offset prefix. */
    readonly detail: string,
  ) {
    super(`${format}: ${code} at offset ${offset}: ${detail}`);
  }
}
