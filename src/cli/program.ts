import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { FormatChoice } from '../codec/payload.js';
import { VERSION } from '../version.js';
import { ExitCode } from './exitCodes.js';
import { collect, seconds, secondsOrOff } from './argParsers.js';
import { bufferBounds, DEFAULT_BUFFER, type BufferBounds } from './bufferFlag.js';
import { addConnectionOptions, connectionFlags, type ConnectionFlags } from './connectionFlags.js';

export type InputEncoding = 'raw' | 'hex' | 'base64';

/** How a payload is decoded and shown; the same flags mean the same for `decode` and `subscribe`. */
export interface RenderOptions {
  readonly format: FormatChoice;
  readonly envelope: 'auto' | 'none';
  readonly json: boolean;
  /** `true`/`false` from --color/--no-color; `undefined` decides from the terminal and NO_COLOR/FORCE_COLOR. */
  readonly color: boolean | undefined;
  readonly width: number;
  /** How charlists print: `sigil` is `~c"..."` (Elixir ≥ 1.15), `quotes` is `'...'` (Elixir ≤ 1.14). */
  readonly charlists: 'sigil' | 'quotes';
}

export interface DecodeOptions extends RenderOptions {
  readonly command: 'decode';
  /** A path, or `undefined`/`-` for stdin. */
  readonly file: string | undefined;
  readonly input: InputEncoding;
}

export interface SubscribeOptions extends RenderOptions {
  readonly command: 'subscribe';
  /** Where and how to connect (see connectionFlags.ts); the same flags for every command that connects. */
  readonly connection: ConnectionFlags;
  readonly channels: readonly string[];
  readonly patterns: readonly string[];
  readonly exact: boolean;
  readonly count: number | undefined;
  readonly timeoutSeconds: number | undefined;
  /** Sharded Pub/Sub channels (SSUBSCRIBE, Redis 7), watched on the master that owns each one's slot. */
  readonly shardChannels: readonly string[];
  readonly topic: string | undefined;
  readonly event: string | undefined;
  readonly node: string | undefined;
  readonly hidePresence: boolean;
  readonly raw: boolean;
  /** Pretty mode: print the header line before each message (off: only bodies, as RedisPrint printed). */
  readonly header: boolean;
  /** Reconnect (with backoff, forever) after losing the connection; `--no-reconnect` exits 5 instead. */
  readonly reconnect: boolean;
  /** --buffer: most messages, and most payload bytes, waiting for a slow stdout (oldest dropped first). */
  readonly bufferMessages: number;
  readonly bufferBytes: number;
  /** PING interval while subscribed, to notice a connection that died silently; 0: off. */
  readonly keepAliveMs: number;
}

export type CliOptions = DecodeOptions | SubscribeOptions;

/** What parsing decided: run a command, or stop now (help, version, a usage error) with this output. */
export type ParseResult =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'exit'; readonly code: number; readonly stdout: string; readonly stderr: string };

const FORMATS: readonly FormatChoice[] = ['auto', 'etf', 'msgpack', 'json', 'text', 'binary'];

function positiveInt(name: string, min = 1) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}, got '${value}'`);
    }
    return Number(value);
  };
}


/** The flags `decode` and `subscribe` share. */
function addRenderOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'payload format; auto detects per message').choices(FORMATS).default('auto'))
    .addOption(new Option('--envelope <mode>', 'auto: recognise Phoenix envelopes; none: print the whole term').choices(['auto', 'none']).default('auto'))
    .option('--json', 'one JSON object per message instead of the pretty form', false)
    .option('--color', 'colour even when stdout is not a terminal')
    .option('--no-color', 'no colour, even on a terminal')
    .option('--width <columns>', 'line width for pretty printing', positiveInt('--width', 1), 80)
    .addOption(
      new Option('--charlists <style>', 'charlists as ~c"..." (sigil, Elixir ≥ 1.15) or \'...\' (quotes, Elixir ≤ 1.14)')
        .choices(['sigil', 'quotes'])
        .default('sigil'),
    );
}

function renderOptions(o: Record<string, unknown>): RenderOptions {
  return {
    format: o.format as FormatChoice,
    envelope: o.envelope as 'auto' | 'none',
    json: o.json === true,
    color: typeof o.color === 'boolean' ? o.color : undefined,
    width: o.width as number,
    charlists: o.charlists as 'sigil' | 'quotes',
  };
}

/**
 * Parse a command line (without `node` and the script) into frozen options, running nothing.
 * A fresh commander program per call, so calls do not share state.
 */
export function parseCli(argv: readonly string[]): ParseResult {
  let stdout = '';
  let stderr = '';
  let result: CliOptions | undefined;

  const program = new Command('redis-print')
    .description('See what flows through Redis Pub/Sub: Erlang terms (Phoenix), MessagePack, JSON and text, decoded.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void (stdout += s),
      writeErr: (s) => void (stderr += s),
      // One line: commander puts suggestions on a second line.
      outputError: (s, write) => write(`redis-print: ${s.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });

  addRenderOptions(
    program
      .command('decode')
      .description('decode one payload from FILE, or stdin when FILE is absent or -')
      .argument('[file]', 'payload file; - or absent for stdin')
      .addOption(new Option('--input <encoding>', 'how the input is written: raw bytes, hex (also <<131, 104, ...>>), base64').choices(['raw', 'hex', 'base64']).default('raw')),
  ).action((file: string | undefined, o: Record<string, unknown>) => {
    result = { command: 'decode', file, input: o.input as InputEncoding, ...renderOptions(o) };
  });

  addRenderOptions(
    addConnectionOptions(program.command('subscribe').description('watch channels and patterns, decoding every message'))
      .option('--channel <name>', 'an exact channel (repeatable)', collect(), [])
      .option('--pattern <glob>', 'a PSUBSCRIBE glob (repeatable)', collect(), [])
      .option('--shard-channel <name>', 'a sharded channel (SSUBSCRIBE, Redis 7; repeatable), watched on the master owning its slot', collect(), [])
      .option('--exact', 'use SUBSCRIBE for --channel (visible in PUBSUB NUMSUB) instead of an escaped PSUBSCRIBE', false)
      .option('--count <n>', 'exit 0 after N messages', positiveInt('--count'))
      .option('--timeout <seconds>', 'stop after this long (exit 4 if --count was not reached)', seconds)
      .option('--topic <glob>', 'only messages whose Phoenix topic matches')
      .option('--event <glob>', 'only messages whose event matches')
      .option('--node <glob>', 'only messages from a matching node')
      .option('--hide-presence', 'hide Phoenix.Tracker (Presence) heartbeats', false)
      .option('--raw', 'with --json, add the payload as base64', false)
      .option('--no-header', 'pretty mode: bodies only, no header line (with --envelope none: RedisPrint\'s output)')
      .option('--no-reconnect', 'exit 5 when the connection is lost, instead of reconnecting with backoff')
      .option('--keepalive <seconds>', 'PING this often while subscribed; no answer by the next PING = connection lost (0: off)', secondsOrOff, 15)
      .option('--buffer <size>', 'most waiting for a slow stdout: N messages or a payload size (512kb, 64mb); repeat to set both (default 10000 and 64mb); oldest dropped first', bufferBounds),
  ).action((o: Record<string, unknown>) => {
    result = {
      command: 'subscribe',
      connection: connectionFlags(o),
      channels: o.channel as string[],
      patterns: o.pattern as string[],
      exact: o.exact === true,
      count: o.count as number | undefined,
      timeoutSeconds: o.timeout as number | undefined,
      shardChannels: o.shardChannel as string[],
      topic: o.topic as string | undefined,
      event: o.event as string | undefined,
      node: o.node as string | undefined,
      hidePresence: o.hidePresence === true,
      raw: o.raw === true,
      header: o.header !== false,
      reconnect: o.reconnect !== false,
      bufferMessages: ((o.buffer as BufferBounds | undefined) ?? DEFAULT_BUFFER).messages,
      bufferBytes: ((o.buffer as BufferBounds | undefined) ?? DEFAULT_BUFFER).bytes,
      keepAliveMs: Math.round((o.keepalive as number) * 1000),
      ...renderOptions(o),
    };
  });

  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
  }

  if (argv.length === 0) {
    return { kind: 'exit', code: ExitCode.USAGE, stdout: '', stderr: program.helpInformation() };
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return { kind: 'exit', code: ok ? ExitCode.OK : ExitCode.USAGE, stdout, stderr };
    }
    throw e;
  }
  if (result === undefined) return { kind: 'exit', code: ExitCode.USAGE, stdout, stderr: stderr || program.helpInformation() };
  return { kind: 'run', options: Object.freeze(result) };
}
