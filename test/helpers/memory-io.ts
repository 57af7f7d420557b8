import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** Run `main` in process with in-memory streams: what a terminal or pipe would have received. */
export async function runMain(
  argv: string[],
  options: { stdin?: Buffer | string; env?: Record<string, string>; tty?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const io: Io = {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    signal: new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}
