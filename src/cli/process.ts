import { main } from './main.js';
import { ExitCode } from './exitCodes.js';

/**
 * Wires the real process to `main`: streams, environment, signals, exit code.
 * The only module that touches `process` (the bin imports it).
 */
export function run(): void {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => () => {
    if (controller.signal.aborted) process.exit(name === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));
  // A closed pipe (`| head`) is the reader saying it has seen enough: end quietly, successfully.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(ExitCode.OK);
    process.stderr.write(`redis-print: cannot write to stdout: ${e.message}\n`);
    process.exit(ExitCode.INTERNAL);
  });

  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
      // Sockets and timers are closed by the commands; if something still holds the loop, do not hang.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (e: unknown) => {
      process.stderr.write(`redis-print: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(ExitCode.INTERNAL);
    },
  );
}
