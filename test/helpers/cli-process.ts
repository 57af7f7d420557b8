import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary, as a user runs it (npm test builds first). */
export const BIN = fileURLToPath(new URL('../../bin/redis-print.js', import.meta.url));

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr contains `text` (rejects after `ms`, with what stderr said). */
  waitForStderr(text: string | RegExp, ms?: number): Promise<void>;
  /** Resolves when stdout has at least `n` lines. */
  waitForLines(n: number, ms?: number): Promise<string[]>;
  /** Resolves with the exit code (or 128+signal). */
  exited(): Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawn `redis-print ARGS` with colour forced off unless the caller's env says otherwise. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    wake();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    wake();
  });
  const exit = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9))));
  child.on('close', wake);
  const until = (ok: () => boolean, ms: number, what: () => string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}\nstdout: ${out}\nstderr: ${err}`)), ms);
      const check = () => {
        if (ok()) {
          clearTimeout(timer);
          resolve();
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`redis-print exited (${child.exitCode}) before ${what()}\nstdout: ${out}\nstderr: ${err}`));
        } else waiters.push(check);
      };
      check();
    });
  const lines = () => out.split('\n').slice(0, -1);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (text, ms = 10_000) => until(() => (typeof text === 'string' ? err.includes(text) : text.test(err)), ms, () => `stderr ${String(text)}`),
    waitForLines: async (n, ms = 10_000) => {
      await until(() => lines().length >= n, ms, () => `${n} lines`);
      return lines();
    },
    exited: () => exit,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}

/** Run to completion; for commands that end by themselves. */
export async function runCli(args: readonly string[], input?: Buffer | string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = startCli(args, env);
  p.child.stdin.end(input ?? '');
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
