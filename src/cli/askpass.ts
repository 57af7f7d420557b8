/**
 * `--askpass`: the password from stdin, so it is neither in the shell history nor in `ps`.
 *
 * On a terminal: "Password: " on stderr, then the keys read in raw mode without echo, up to Enter
 * (Backspace erases, Ctrl-C interrupts, Ctrl-D ends). Otherwise (a pipe, a file, a test's stream)
 * no prompt and the first line, without its line ending — `printf '%s\n' "$PW" | redis-print …`.
 */
import type { Readable } from 'node:stream';
import { CliError, ExitCode } from './exitCodes.js';
import type { Io } from './io.js';

type Terminal = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** @throws CliError (exit 2) when stdin ends before any password; (exit 130) on Ctrl-C at the prompt. */
export async function readPassword(io: Pick<Io, 'stdin' | 'stderr'>): Promise<string> {
  const stdin = io.stdin as Terminal;
  const setRawMode = stdin.setRawMode;
  const password =
    stdin.isTTY === true && typeof setRawMode === 'function'
      ? await readHidden(stdin, (raw) => setRawMode.call(stdin, raw), io.stderr)
      : await readLine(stdin);
  if (password === undefined || password === '') throw new CliError('--askpass: no password was given on stdin', ExitCode.USAGE);
  return password;
}

/** The first line of `stream` (undefined when it ends with nothing), then stops reading. */
function readLine(stream: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const finish = (text: string | undefined): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      resolve(text);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const newline = bytes.indexOf(0x0a);
      if (newline === -1) {
        chunks.push(bytes);
        return;
      }
      chunks.push(bytes.subarray(0, newline));
      finish(Buffer.concat(chunks).toString('utf8').replace(/\r$/, ''));
    };
    const onEnd = (): void => finish(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8').replace(/\r$/, ''));
    const onError = (error: Error): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      reject(new CliError(`--askpass: cannot read stdin: ${error.message}`, ExitCode.USAGE));
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}

/** Keys from a terminal in raw mode, nothing echoed. */
function readHidden(tty: Readable, setRawMode: (raw: boolean) => unknown, stderr: Io['stderr']): Promise<string> {
  stderr.write('Password: ');
  setRawMode(true);
  return new Promise((resolve, reject) => {
    let password = '';
    const done = (): void => {
      tty.off('data', onData);
      setRawMode(false);
      tty.pause();
      stderr.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        switch (char) {
          case '\r':
          case '\n':
          case '\u0004': // Ctrl-D
            done();
            resolve(password);
            return;
          case '\u0003': // Ctrl-C: raw mode turns it into a key, not a SIGINT
            done();
            reject(new CliError('interrupted at the password prompt', ExitCode.SIGINT));
            return;
          case '\u007f': // Backspace (DEL), and Ctrl-H
          case '\b':
            password = [...password].slice(0, -1).join('');
            break;
          default:
            if (char >= ' ') password += char;
        }
      }
    };
    tty.on('data', onData);
    tty.resume();
  });
}
