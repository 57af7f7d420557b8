import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { InputEncoding } from './program.js';
import { CliError, ExitCode } from './exitCodes.js';

/** Payloads larger than this are refused on input (Redis's own default limit for a bulk string is 512 MB). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Read the whole payload from a file or stdin. @throws {CliError} (exit 2) when it cannot be read. */
export async function readInput(file: string | undefined, stdin: Readable): Promise<Buffer> {
  if (file !== undefined && file !== '-') {
    try {
      return await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new CliError(`cannot read ${file}: ${why}`, ExitCode.USAGE);
    }
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > MAX_INPUT_BYTES) throw new CliError(`stdin is larger than ${MAX_INPUT_BYTES} bytes`, ExitCode.USAGE);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * Turn input text into payload bytes.
 * - `raw`: as is.
 * - `hex`: hex digits with any whitespace, an optional `0x`; or Elixir/Erlang byte-list syntax
 *   `<<131, 104, 2>>` (decimal, also `0x83`-style, as IEx and `:erlang.term_to_binary |> IO.inspect` print).
 * - `base64`: standard or URL-safe alphabet, padding optional, whitespace ignored.
 * @throws {CliError} (exit 2) naming the first bad character.
 */
export function decodeInput(input: Buffer, encoding: InputEncoding): Buffer {
  if (encoding === 'raw') return input;
  const text = input.toString('utf8').trim();
  if (encoding === 'base64') {
    const compact = text.replace(/\s+/g, '');
    const bad = /[^A-Za-z0-9+/=_-]/.exec(compact);
    if (bad) throw new CliError(`--input base64: '${printable(bad[0])}' at character ${bad.index} is not base64`, ExitCode.USAGE);
    return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  }
  if (text.startsWith('<<')) return byteList(text);
  const compact = text.replace(/\s+/g, '').replace(/^0x/i, '');
  const bad = /[^0-9a-fA-F]/.exec(compact);
  if (bad) throw new CliError(`--input hex: '${printable(bad[0])}' at character ${bad.index} is not a hex digit`, ExitCode.USAGE);
  if (compact.length % 2 !== 0) throw new CliError(`--input hex: odd number of hex digits (${compact.length})`, ExitCode.USAGE);
  return Buffer.from(compact, 'hex');
}

function byteList(text: string): Buffer {
  if (!text.endsWith('>>')) throw new CliError('--input hex: a byte list that starts with << must end with >>', ExitCode.USAGE);
  const inner = text.slice(2, -2).trim();
  if (inner === '') return Buffer.alloc(0);
  const bytes = inner.split(',').map((part, i) => {
    const p = part.trim();
    const n = /^\d+$/.test(p) ? Number(p) : /^0x[0-9a-f]+$/i.test(p) ? Number.parseInt(p.slice(2), 16) : NaN;
    if (!(n >= 0 && n <= 255)) throw new CliError(`--input hex: element ${i + 1} of the byte list ('${printable(p)}') is not a byte 0..255`, ExitCode.USAGE);
    return n;
  });
  return Buffer.from(bytes);
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).slice(0, 20);
}
