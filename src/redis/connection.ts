/**
 * Where and how to connect, as one frozen value built from CLI-ish inputs and the environment.
 *
 * Three deployments, told apart by `mode`: a standalone server (`host:port`), a master found
 * through Sentinel (`sentinel`), or a Redis Cluster reached through seed nodes (`cluster`). TLS and
 * credentials apply to every connection of the deployment. `createClient` in `client.ts` is the one
 * place that turns this value into client-library options.
 */
import { ConnectionError } from './ConnectionError.js';
import { loadTls, type TlsInput, type TlsSettings } from './tls.js';

export type { TlsSettings } from './tls.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 6379;
export const DEFAULT_SENTINEL_PORT = 26379;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_CLIENT_NAME = 'redis-print';

export interface Address {
  /** Host name or IP address, IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
}

interface CommonOptions extends Address {
  /** The `--url` this was built from, verbatim (it may hold a password: show it only through `redactUrl`). */
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
  /**
   * The database from `--db` or `redis://host/<db>`. Pub/Sub ignores databases, so the subscriber
   * does not SELECT it; it is kept for commands that do care (keyspace-notification channel names).
   */
  readonly db: number;
  /** Bound on the whole handshake: TCP connect, TLS, AUTH and the subscription acknowledgements. */
  readonly connectTimeoutMs: number;
  /** Set with CLIENT SETNAME so `CLIENT LIST` shows who is watching; empty string to skip. */
  readonly clientName: string;
  /** Present when every connection of the deployment (sentinels included) uses TLS. */
  readonly tls?: TlsSettings;
}

/** One server at `host:port`. */
export interface StandaloneOptions extends CommonOptions {
  readonly mode: 'standalone';
}

export interface SentinelSettings {
  /** The name the sentinels monitor the master under (`sentinel monitor <name> …`). */
  readonly masterName: string;
  /** Asked in order, at every (re)connect, for the current master's address. */
  readonly sentinels: readonly Address[];
  /** AUTH for the sentinels themselves; the top-level username/password are the master's. */
  readonly username?: string;
  readonly password?: string;
}

/** The master that Sentinel names; `host`/`port` are the first sentinel's, for messages only. */
export interface SentinelOptions extends CommonOptions {
  readonly mode: 'sentinel';
  readonly sentinel: SentinelSettings;
}

export interface ClusterSettings {
  /** Nodes to ask for the cluster's topology, in order; the first is also `host`/`port`. */
  readonly seeds: readonly Address[];
}

/** A Redis Cluster; `host`/`port` are the first seed. */
export interface ClusterOptions extends CommonOptions {
  readonly mode: 'cluster';
  readonly cluster: ClusterSettings;
}

export type ConnectionOptions = StandaloneOptions | SentinelOptions | ClusterOptions;

/** Values as a command line hands them over: every field may be missing or a string. */
export interface ConnectionInput extends TlsInput {
  url?: string | undefined;
  host?: string | undefined;
  port?: number | string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  db?: number | string | undefined;
  connectTimeoutMs?: number | string | undefined;
  clientName?: string | undefined;
  /** TLS even for a `redis://` URL or host/port (a `rediss://` URL turns it on by itself). */
  tls?: boolean | undefined;
  /** `host[:port]` of each sentinel (port 26379 by default); needs `masterName`. */
  sentinels?: readonly string[] | undefined;
  masterName?: string | undefined;
  sentinelUsername?: string | undefined;
  sentinelPassword?: string | undefined;
  /** The URL or host/port is a cluster node; `seeds` adds more `host[:port]`s (port 6379 by default). */
  cluster?: boolean | undefined;
  seeds?: readonly string[] | undefined;
}

/** The part of the environment connections read: `REDISCLI_AUTH`, as redis-cli does. */
export type ConnectionEnv = Readonly<Record<string, string | undefined>>;

/**
 * Builds frozen `ConnectionOptions`. Each part of `url` (`redis[s]://[[user]:password@]host[:port][/db]`)
 * wins over the separate input (`host`, `port`, `username`, `password`, `db`), which only fills in
 * what the URL leaves out; then `env.REDISCLI_AUTH` for the password (as in redis-cli: only when
 * neither the URL nor `password` gives one); defaults come last. As in redis-cli, a URL user-info
 * without a colon (`redis://secret@host`) is a password. Defaults: host 127.0.0.1, port 6379
 * (sentinels 26379), db 0, connect timeout 5000 ms, client name `redis-print`. TLS files are read
 * (and checked to be PEM) here, so a bad path fails before anything connects.
 *
 * @throws ConnectionError `EBADURL` for an unparsable URL, an invalid port/db/timeout/address or
 *   settings that do not go together, `EBADFILE` for an unreadable or non-PEM TLS file,
 *   `EUNSUPPORTED` for unix-socket URLs.
 */
export function connectionOptions(input: ConnectionInput = {}, env: ConnectionEnv = {}): ConnectionOptions {
  const common = commonOptions(input, env);
  const sentinels = input.sentinels ?? [];
  const seeds = input.seeds ?? [];
  if (sentinels.length > 0 && (input.cluster === true || seeds.length > 0)) throw badInput(input, 'Sentinel and Cluster cannot be combined');
  if (seeds.length > 0 && input.cluster !== true) throw badInput(input, 'seed nodes are only for a cluster');
  if (input.masterName !== undefined && sentinels.length === 0) throw badInput(input, 'a master name needs at least one sentinel');
  if (sentinels.length === 0 && (input.sentinelUsername !== undefined || input.sentinelPassword !== undefined)) {
    throw badInput(input, 'sentinel credentials were given without sentinels');
  }
  if (sentinels.length > 0) return sentinelOptions(common, sentinels, input);
  if (input.cluster === true) return clusterOptions(common, seeds, input);
  return Object.freeze({ ...common, mode: 'standalone' });
}

/** Address, credentials, database, timeouts and TLS: what every mode has. */
function commonOptions(input: ConnectionInput, env: ConnectionEnv): CommonOptions {
  const fromUrl = input.url === undefined ? undefined : parseRedisUrl(input.url);
  const host = fromUrl?.host ?? input.host ?? DEFAULT_HOST;
  if (host === '') throw badInput(input, 'empty host');
  const port = fromUrl?.port ?? toInteger(input.port, 'port', input) ?? DEFAULT_PORT;
  checkPort(port, input);
  const timeout = toInteger(input.connectTimeoutMs, 'connect timeout', input) ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (timeout <= 0) throw badInput(input, 'connect timeout must be positive');
  const db = fromUrl?.db ?? toInteger(input.db, 'database', input) ?? 0;
  const username = nonEmpty(fromUrl?.username ?? input.username);
  const password = fromUrl?.password ?? input.password ?? nonEmpty(env['REDISCLI_AUTH']);
  if (username !== undefined && password === undefined) {
    throw badInput(input, `user "${username}" needs a password (a password flag, the URL, or REDISCLI_AUTH)`);
  }
  const tlsOn = fromUrl?.tls === true || input.tls === true;
  if (!tlsOn && hasTlsDetail(input)) throw badInput(input, 'TLS files, insecure or a server name were given but TLS is off');
  const tls = tlsOn ? loadTls(input) : undefined;
  return {
    host: unbracket(host),
    port,
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    db,
    connectTimeoutMs: timeout,
    clientName: input.clientName ?? DEFAULT_CLIENT_NAME,
    ...(tls === undefined ? {} : { tls }),
  };
}

function sentinelOptions(common: CommonOptions, sentinels: readonly string[], input: ConnectionInput): SentinelOptions {
  if (input.url !== undefined || input.host !== undefined || input.port !== undefined) {
    throw badInput(input, "with sentinels, the master's address comes from them: give no URL, host or port");
  }
  const masterName = nonEmpty(input.masterName);
  if (masterName === undefined) throw badInput(input, 'sentinels need the name of the master they monitor');
  const username = nonEmpty(input.sentinelUsername);
  if (username !== undefined && input.sentinelPassword === undefined) throw badInput(input, `sentinel user "${username}" needs a sentinel password`);
  const addresses = unique(sentinels.map((s) => parseAddress(s, DEFAULT_SENTINEL_PORT, input)));
  return Object.freeze({
    ...common,
    ...(addresses[0] as Address),
    mode: 'sentinel',
    sentinel: Object.freeze({
      masterName,
      sentinels: Object.freeze(addresses),
      ...(username === undefined ? {} : { username }),
      ...(input.sentinelPassword === undefined ? {} : { password: input.sentinelPassword }),
    }),
  });
}

function clusterOptions(common: CommonOptions, seeds: readonly string[], input: ConnectionInput): ClusterOptions {
  // The URL or host/port is a seed when given, or when nothing else is (127.0.0.1:6379).
  const explicit = input.url !== undefined || input.host !== undefined || input.port !== undefined;
  const addresses = unique([
    ...(explicit || seeds.length === 0 ? [{ host: common.host, port: common.port }] : []),
    ...seeds.map((s) => parseAddress(s, DEFAULT_PORT, input)),
  ]);
  return Object.freeze({ ...common, ...(addresses[0] as Address), mode: 'cluster', cluster: Object.freeze({ seeds: Object.freeze(addresses) }) });
}

/**
 * The same deployment's settings (credentials, TLS, timeouts) for one server at `address`: a
 * cluster node, or a sentinel with the sentinel credentials.
 */
export function atAddress(opts: ConnectionOptions, address: Address, credentials?: { readonly username?: string; readonly password?: string }): StandaloneOptions {
  const auth = credentials ?? opts;
  return Object.freeze({
    mode: 'standalone',
    host: address.host,
    port: address.port,
    ...(auth.username === undefined ? {} : { username: auth.username }),
    ...(auth.password === undefined ? {} : { password: auth.password }),
    db: opts.db,
    connectTimeoutMs: opts.connectTimeoutMs,
    clientName: opts.clientName,
    ...(opts.tls === undefined ? {} : { tls: opts.tls }),
  });
}

/**
 * For messages, never with credentials: `host:port` (`[::1]:6379` for IPv6); for Sentinel the
 * master's name and the sentinels (`mymaster (sentinel 10.0.0.1:26379)`); for a cluster its first
 * seed (`cluster 10.0.0.1:7000`).
 */
export function describeTarget(opts: Address | ConnectionOptions): string {
  if ('mode' in opts && opts.mode === 'sentinel') {
    const { masterName, sentinels } = opts.sentinel;
    return `${masterName} (sentinel${sentinels.length > 1 ? 's' : ''} ${sentinels.map(describeAddress).join(', ')})`;
  }
  if ('mode' in opts && opts.mode === 'cluster') return `cluster ${describeAddress(opts)}`;
  return describeAddress(opts);
}

function describeAddress(address: Address): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

/**
 * The URL with its password (or password-only user-info) replaced by `***`; works on unparsable input too.
 * User-info runs to the LAST `@`: a password with an unencoded `/`, `?`, `#` or `@` makes the URL unparsable,
 * and that is exactly when it gets printed in an error, so redact greedily (at worst too much).
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`. */
function parseAddress(text: string, defaultPort: number, input: ConnectionInput): Address {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text.trim());
  if (match === null) throw badInput(input, `address "${text}" is not host[:port]`);
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  checkPort(port, input);
  return { host, port };
}

function checkPort(port: number, input: ConnectionInput): void {
  if (port < 1 || port > 65535) throw badInput(input, `port ${port} is out of range 1..65535`);
}

interface ParsedUrl {
  tls: boolean;
  host: string | undefined;
  port: number | undefined;
  username: string | undefined;
  password: string | undefined;
  db: number | undefined;
}

function parseRedisUrl(raw: string): ParsedUrl {
  const shown = redactUrl(raw);
  const fail = (reason: string): ConnectionError =>
    new ConnectionError('EBADURL', shown, `invalid Redis URL ${shown}: ${reason}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail('expected redis[s]://[[user]:password@]host[:port][/db]');
  }
  switch (url.protocol) {
    case 'redis:':
    case 'rediss:':
      break;
    case 'unix:':
    case 'redis+unix:':
    case 'redis-socket:':
      throw new ConnectionError('EUNSUPPORTED', shown, `cannot use ${shown}: unix sockets are not supported yet`);
    default:
      throw fail(`unknown scheme ${url.protocol}// (expected redis:// or rediss://)`);
  }
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw fail('bad percent-encoding in user or password');
    }
  };
  // WHATWG URL cannot tell `redis://user@h` from `redis://user:@h`; the raw user-info can.
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(raw)?.[1];
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo?.includes(':')) {
    username = url.username === '' ? undefined : decode(url.username);
    password = decode(url.password);
  } else if (userinfo !== undefined && userinfo !== '') {
    password = decode(url.username);
  }
  let db: number | undefined;
  const path = url.pathname.replace(/^\//, '');
  if (path !== '') {
    if (!/^\d+$/.test(path)) throw fail(`database "${path}" is not a number`);
    db = Number(path);
  }
  return {
    tls: url.protocol === 'rediss:',
    host: url.hostname === '' ? undefined : url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    username,
    password,
    db,
  };
}

function hasTlsDetail(input: TlsInput): boolean {
  return input.caFile !== undefined || input.certFile !== undefined || input.keyFile !== undefined || input.insecure === true || input.servername !== undefined;
}

function toInteger(value: number | string | undefined, what: string, input: ConnectionInput): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < 0) throw badInput(input, `${what} "${value}" is not a whole number`);
  return number;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function unique(addresses: readonly Address[]): Address[] {
  const byKey = new Map<string, Address>();
  for (const address of addresses) if (!byKey.has(describeAddress(address))) byKey.set(describeAddress(address), address);
  return [...byKey.values()];
}

function badInput(input: ConnectionInput, reason: string): ConnectionError {
  const target =
    input.url !== undefined
      ? redactUrl(input.url)
      : input.sentinels !== undefined && input.sentinels.length > 0
        ? input.masterName === undefined
          ? `sentinel ${input.sentinels.join(', ')}`
          : `${input.masterName} (sentinel ${input.sentinels.join(', ')})`
        : `${input.host ?? DEFAULT_HOST}:${input.port ?? DEFAULT_PORT}`;
  return new ConnectionError('EBADURL', target, `invalid connection settings for ${target}: ${reason}`);
}
