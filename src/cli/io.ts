import type { Readable, Writable } from 'node:stream';

/** Everything a command may touch of the outside world; the bin passes `process`'s, tests pass their own. */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT/SIGTERM (the bin wires this); `reason` is the signal name. */
  readonly signal: AbortSignal;
}
