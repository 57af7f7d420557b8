import { main } from './main.js';
import { ExitCode } from './exitCodes.js';

/** If something still holds the event loop this long after the command returned (or stdout broke), exit anyway. */
const EXIT_GRACE_MS = 2_000;

/**
 * Wires the real process to `main`: streams, environment, signals, exit code.
 * The only module that touches `process` (the bin imports it).
 *
 * - SIGINT/SIGTERM abort `io.signal` (its reason is the signal's name); the command winds down
 *   (`subscribe` prints what is queued for up to a second and a summary) and exits 130/143.
 *   A second signal exits at once.
 * - stdout errors never crash the process or print a stack trace. The command sees them on the
 *   stream (`subscribe` stops and closes its connection); EPIPE, the reader closing the pipe
 *   (`| head`), is the end and not an error (exit 0). Any other write error makes a successful
 *   exit 74. stderr errors are ignored: there is nowhere left to report them.
 */
export function run(): void {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => () => {
    if (controller.signal.aborted) process.exit(name === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));

  let stdoutError: NodeJS.ErrnoException | undefined;
  let finished = false;
  // A command that does not watch stdout (`decode`) still must not report success after a failed
  // write; the error may come after it returned (file writes report it on the next tick).
  const failOnWriteError = (): void => {
    if (!finished || stdoutError === undefined || stdoutError.code === 'EPIPE' || process.exitCode !== ExitCode.OK) return;
    process.stderr.write(`redis-print: cannot write to stdout: ${stdoutError.message}\n`);
    process.exitCode = ExitCode.OUTPUT;
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (stdoutError) return;
    stdoutError = e;
    failOnWriteError();
    const code = e.code === 'EPIPE' ? ExitCode.OK : ExitCode.OUTPUT;
    // The command gets EXIT_GRACE_MS to close its connection cleanly (QUIT) before we stop waiting.
    setTimeout(() => process.exit(finished ? process.exitCode : code), EXIT_GRACE_MS).unref();
  });
  process.stderr.on('error', () => {});

  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
      finished = true;
      failOnWriteError();
      // Sockets and timers are closed by the commands; if something still holds the loop, do not hang.
      // After a signal, the command has flushed what it could within its limit: output still buffered
      // for a stalled reader must not keep the process.
      if (code === ExitCode.SIGINT || code === ExitCode.SIGTERM) process.exit(code);
      setTimeout(() => process.exit(process.exitCode), EXIT_GRACE_MS).unref();
    },
    (e: unknown) => {
      process.stderr.write(`redis-print: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(ExitCode.INTERNAL);
    },
  );
}
