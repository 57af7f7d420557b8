import { parseCli } from './program.js';
import { CliError, ExitCode } from './exitCodes.js';
import type { Io } from './io.js';
import { runDecode } from './decodeCommand.js';
import { runSubscribe } from './subscribeCommand.js';

/**
 * The whole CLI as a function: parse `argv`, run the command against `io`, return the exit code.
 * Expected failures are one line on stderr; nothing here throws for bad input.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseCli(argv);
  if (parsed.kind === 'exit') {
    if (parsed.stdout) io.stdout.write(parsed.stdout);
    if (parsed.stderr) io.stderr.write(parsed.stderr);
    return parsed.code;
  }
  try {
    const options = parsed.options;
    switch (options.command) {
      case 'decode':
        return await runDecode(options, io);
      case 'subscribe':
        return await runSubscribe(options, io);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`redis-print: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`redis-print: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.INTERNAL;
  }
}
