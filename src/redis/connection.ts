/**
 * Where and how to connect, as one frozen value built from CLI-ish inputs.
 *
 * Only standalone servers over plain TCP for now. TLS (`rediss://`), Sentinel and Cluster arrive
 * with issue 5: `mode` is the discriminant they will extend (`'sentinel' | 'cluster'`), TLS will be
 * an optional `tls` field, and `createClient` in `client.ts` is the one place that turns this value
 * into client-library options.
 */
import { ConnectionError } from './ConnectionError.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 6379;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_CLIENT_NAME = 'redis-print';

export interface ConnectionOptions {
  readonly mode: 'standalone';
  /** Host name or IP address, IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
  /** The `--url` this was built from, verbatim (it may hold a password: show it only through `redactUrl`). */
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
  /**
   * The database from `redis://host/<db>`. Pub/Sub ignores databases, so the subscriber does not
   * SELECT it; it is kept for commands that do care (keyspace-notification channel names).
   */
  readonly db: number;
  /** Bound on the whole handshake: TCP connect, AUTH and the subscription acknowledgements. */
  readonly connectTimeoutMs: number;
  /** Set with CLIENT SETNAME so `CLIENT LIST` shows who is watching; empty string to skip. */
  readonly clientName: string;
}

/** Values as a command line hands them over: every field may be missing or a string. */
export interface ConnectionInput {
  url?: string | undefined;
  host?: string | undefined;
  port?: number | string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  connectTimeoutMs?: number | string | undefined;
  clientName?: string | undefined;
}

/**
 * Builds frozen `ConnectionOptions`. Each part of `url` (`redis://[[user]:password@]host[:port][/db]`)
 * wins over the separate input (`host`, `port`, `username`, `password`), which only fills in what the
 * URL leaves out; defaults come last. As in redis-cli, a URL
 * user-info without a colon (`redis://secret@host`) is a password. Defaults: host 127.0.0.1,
 * port 6379, db 0, connect timeout 5000 ms, client name `redis-print`.
 *
 * @throws ConnectionError `EBADURL` for an unparsable URL or an invalid port/db/timeout,
 *   `EUNSUPPORTED` for `rediss://` and unix-socket URLs (not supported yet).
 */
export function connectionOptions(input: ConnectionInput = {}): ConnectionOptions {
  const fromUrl = input.url === undefined ? undefined : parseRedisUrl(input.url);
  const host = fromUrl?.host ?? input.host ?? DEFAULT_HOST;
  if (host === '') throw badInput(input, 'empty host');
  const port = fromUrl?.port ?? toInteger(input.port, 'port', input) ?? DEFAULT_PORT;
  if (port < 1 || port > 65535) throw badInput(input, `port ${port} is out of range 1..65535`);
  const timeout = toInteger(input.connectTimeoutMs, 'connect timeout', input) ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (timeout <= 0) throw badInput(input, 'connect timeout must be positive');
  const username = fromUrl?.username ?? input.username;
  const password = fromUrl?.password ?? input.password;
  return Object.freeze({
    mode: 'standalone',
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port,
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(username === undefined || username === '' ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    db: fromUrl?.db ?? 0,
    connectTimeoutMs: timeout,
    clientName: input.clientName ?? DEFAULT_CLIENT_NAME,
  });
}

/** `host:port` (`[::1]:6379` for IPv6), for messages. Never contains credentials. */
export function describeTarget(opts: Pick<ConnectionOptions, 'host' | 'port'>): string {
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return `${host}:${opts.port}`;
}

/** The URL with its password (or password-only user-info) replaced by `***`; works on unparsable input too. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

interface ParsedUrl {
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
    throw fail('expected redis://[[user]:password@]host[:port][/db]');
  }
  switch (url.protocol) {
    case 'redis:':
      break;
    case 'rediss:':
      throw new ConnectionError('EUNSUPPORTED', shown, `cannot use ${shown}: TLS (rediss://) is not supported yet`);
    case 'unix:':
    case 'redis+unix:':
    case 'redis-socket:':
      throw new ConnectionError('EUNSUPPORTED', shown, `cannot use ${shown}: unix sockets are not supported yet`);
    default:
      throw fail(`unknown scheme ${url.protocol}// (expected redis://)`);
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
    host: url.hostname === '' ? undefined : url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    username,
    password,
    db,
  };
}

function toInteger(value: number | string | undefined, what: string, input: ConnectionInput): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) throw badInput(input, `${what} "${value}" is not a whole number`);
  return number;
}

function badInput(input: ConnectionInput, reason: string): ConnectionError {
  const target = input.url === undefined ? `${input.host ?? DEFAULT_HOST}:${input.port ?? DEFAULT_PORT}` : redactUrl(input.url);
  return new ConnectionError('EBADURL', target, `invalid connection settings for ${target}: ${reason}`);
}
