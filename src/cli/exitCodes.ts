/** Exit codes, documented in the README ("Exit codes"). */
export const ExitCode = {
  /** Success; for `subscribe`, also `--count` reached, `--timeout` without `--count`, or the reader went away (EPIPE). */
  OK: 0,
  /** `decode`: the payload could not be decoded (the error is on stderr). */
  DECODE_FAILED: 1,
  /** Bad command line: unknown command or flag, bad value, bad URL, unreadable input file. */
  USAGE: 2,
  /** Could not connect, authenticate or subscribe (unreachable server, wrong password, no permission). */
  CONNECTION: 3,
  /** `subscribe --count N --timeout S`: the timeout came before N messages. */
  TIMEOUT: 4,
  /**
   * `subscribe`: the connection was lost after subscribing and is not coming back: `--no-reconnect`
   * was given, or a reconnect was refused in a way retrying cannot fix (password, ACL, not Redis).
   */
  CONNECTION_LOST: 5,
  /** A bug in redis-print (reported on stderr as one line; please file it). */
  INTERNAL: 70,
  /** Writing to stdout failed (disk full, I/O error). A reader that closed the pipe (`| head`) is not a failure: 0. */
  OUTPUT: 74,
  /** Interrupted by SIGINT (128 + 2). */
  SIGINT: 130,
  /** Terminated by SIGTERM (128 + 15). */
  SIGTERM: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with a one-line message and a given exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
