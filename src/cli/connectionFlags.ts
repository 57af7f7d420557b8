/**
 * The flags that say where and how to connect, defined once for every command that connects:
 * `addConnectionOptions` declares them, `connectionFlags` reads commander's values into a frozen
 * `ConnectionFlags` (pure), `resolveConnection` turns those, stdin (`--askpass`) and the
 * environment (`REDISCLI_AUTH`) into `ConnectionOptions` and prints the notes they call for.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { connectionOptions, ConnectionError, type ConnectionInput, type ConnectionOptions } from '../redis/index.js';
import { collect, seconds } from './argParsers.js';
import { readPassword } from './askpass.js';
import { CliError, ExitCode } from './exitCodes.js';
import type { Io } from './io.js';

/** What the user typed, before defaults; `undefined` when a flag was not given. */
export interface ConnectionFlags {
  readonly url: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly connectTimeoutMs: number;
  readonly tls: boolean;
  readonly cacert: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly insecure: boolean;
  readonly sni: string | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly askpass: boolean;
  readonly db: number | undefined;
  readonly sentinels: readonly string[];
  readonly master: string | undefined;
  readonly sentinelUser: string | undefined;
  readonly sentinelPassword: string | undefined;
  readonly cluster: boolean;
  readonly seeds: readonly string[];
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError(`port must be 1..65535, got '${value}'`);
  return n;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`must be a whole number ≥ 0, got '${value}'`);
  return Number(value);
}


function address(value: string): string {
  if (!/^(\[[^\]]+\]|[^:[\]\s]+)(:\d+)?$/.test(value)) throw new InvalidArgumentError(`expected host:port, got '${value}'`);
  return value;
}


/** Declares the connection flags on `cmd` (see the README, "Connecting"). */
export function addConnectionOptions(cmd: Command): Command {
  const tlsDetail = (flags: string, description: string): Option => new Option(flags, `${description} (implies --tls)`).implies({ tls: true });
  return cmd
    .option('--url <url>', 'redis[s]://[[user]:password@]host[:port][/db]; its parts win over --host/--port/--user/--password/--db')
    .option('--host <host>', 'Redis host (default: 127.0.0.1)')
    .option('--port <port>', 'Redis port (default: 6379)', port)
    .option('--connect-timeout <seconds>', 'give up connecting after this long', seconds, 5)
    .option('--tls', 'connect with TLS (a rediss:// URL does too)')
    .addOption(tlsDetail('--cacert <file>', 'PEM CA certificate(s) to verify the server with, instead of the system store'))
    .addOption(tlsDetail('--cert <file>', 'PEM client certificate, for servers that ask for one; needs --key'))
    .addOption(tlsDetail('--key <file>', 'PEM private key of --cert'))
    .addOption(tlsDetail('--insecure', 'do not verify the server certificate or name (warns)'))
    .addOption(tlsDetail('--sni <name>', 'server name to send (SNI) and to verify the certificate against'))
    .option('--user <name>', 'ACL user to AUTH as (default: the default user)')
    .addOption(new Option('--password <password>', 'password (visible in ps: prefer REDISCLI_AUTH or --askpass)').conflicts('askpass'))
    .option('--askpass', 'read the password from stdin; on a terminal, prompt "Password: " without echo')
    .option('--db <n>', 'accepted as in redis-cli; Pub/Sub ignores database numbers', wholeNumber)
    .addOption(
      new Option('--sentinel <host:port>', 'ask this sentinel for the master (repeatable; needs --master); follows failovers')
        .argParser(collect(address))
        .conflicts(['url', 'host', 'port', 'cluster', 'seed']),
    )
    .option('--master <name>', 'the master\'s name in Sentinel (sentinel monitor <name> …)')
    .option('--sentinel-user <name>', 'ACL user for the sentinels')
    .option('--sentinel-password <password>', 'password for the sentinels (the master uses --password)')
    .option('--cluster', 'a Redis Cluster: --url/--host/--port and each --seed are nodes to start from')
    .addOption(new Option('--seed <host:port>', 'another cluster node to start from (repeatable; implies --cluster)').argParser(collect(address)).implies({ cluster: true }));
}

/** commander's values for the flags of `addConnectionOptions`, frozen. */
export function connectionFlags(o: Record<string, unknown>): ConnectionFlags {
  const text = (key: string): string | undefined => (typeof o[key] === 'string' ? o[key] : undefined);
  const number = (key: string): number | undefined => (typeof o[key] === 'number' ? o[key] : undefined);
  const list = (key: string): readonly string[] => Object.freeze(Array.isArray(o[key]) ? [...(o[key] as string[])] : []);
  return Object.freeze({
    url: text('url'),
    host: text('host'),
    port: number('port'),
    connectTimeoutMs: Math.round((number('connectTimeout') ?? 5) * 1000),
    tls: o.tls === true,
    cacert: text('cacert'),
    cert: text('cert'),
    key: text('key'),
    insecure: o.insecure === true,
    sni: text('sni'),
    user: text('user'),
    password: text('password'),
    askpass: o.askpass === true,
    db: number('db'),
    sentinels: list('sentinel'),
    master: text('master'),
    sentinelUser: text('sentinelUser'),
    sentinelPassword: text('sentinelPassword'),
    cluster: o.cluster === true,
    seeds: list('seed'),
  });
}

/** The flags as `connectionOptions` input; `password` replaces the flag's (it may come from --askpass). */
export function connectionInput(flags: ConnectionFlags, password = flags.password): ConnectionInput {
  return {
    url: flags.url,
    host: flags.host,
    port: flags.port,
    connectTimeoutMs: flags.connectTimeoutMs,
    tls: flags.tls,
    caFile: flags.cacert,
    certFile: flags.cert,
    keyFile: flags.key,
    insecure: flags.insecure,
    servername: flags.sni,
    username: flags.user,
    password,
    db: flags.db,
    sentinels: flags.sentinels,
    masterName: flags.master,
    sentinelUsername: flags.sentinelUser,
    sentinelPassword: flags.sentinelPassword,
    cluster: flags.cluster,
    seeds: flags.seeds,
  };
}

/**
 * Reads `--askpass` from stdin, builds the options with `io.env` (REDISCLI_AUTH) and writes the
 * notes of `connectionNotes` to stderr.
 *
 * @throws CliError exit 2 for settings `connectionOptions` rejects (bad URL, unreadable TLS file,
 *   flags that do not go together) and for --askpass without a password; 130 for Ctrl-C at the prompt.
 */
export async function resolveConnection(flags: ConnectionFlags, io: Io): Promise<ConnectionOptions> {
  const password = flags.askpass ? await readPassword(io) : flags.password;
  let opts: ConnectionOptions;
  try {
    opts = connectionOptions(connectionInput(flags, password), io.env);
  } catch (e) {
    if (e instanceof ConnectionError) throw new CliError(e.message, ExitCode.USAGE);
    throw e;
  }
  for (const note of connectionNotes(opts)) io.stderr.write(`redis-print: ${note}\n`);
  return opts;
}

/** One line each: what the user should know about these settings before anything connects. */
export function connectionNotes(opts: ConnectionOptions): string[] {
  const notes: string[] = [];
  if (opts.tls?.verify === false) notes.push('warning: --insecure: the server certificate is not verified; anyone on the way can read and change the traffic');
  if (opts.db !== 0) notes.push(`note: Pub/Sub ignores database numbers: database ${opts.db} changes nothing you receive (keyspace notifications name it in the channel, __keyspace@${opts.db}__:…)`);
  return notes;
}
