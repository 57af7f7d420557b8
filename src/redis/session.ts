/**
 * A connected, authenticated client for a few commands (CLUSTER SLOTS, PUBSUB SHARDCHANNELS …) or
 * for sharded subscriptions: the same handshake the subscriber runs (connect, AUTH, CLIENT SETNAME),
 * bounded by `connectTimeoutMs`, every failure a `ConnectionError` naming `host:port`.
 */
import { createClient, quietly, type RedisClient } from './client.js';
import { describeTarget, type ConnectionOptions } from './connection.js';
import { CONNECTION_CLOSED, ConnectionError, toConnectionError } from './ConnectionError.js';

/** How long close() waits for the server to answer QUIT before dropping the socket. */
const QUIT_TIMEOUT_MS = 1_000;

export interface Session {
  readonly client: RedisClient;
  /** `host:port`, for messages. */
  readonly target: string;
  /** The last 'error' event of the client (a socket error arrives before "Connection is closed."). */
  readonly lastError: Error | undefined;
  /** QUIT (at most ~1 s), then drop the socket. Safe to call twice. */
  close(): Promise<void>;
}

export interface SessionOptions {
  readonly signal?: AbortSignal;
  /** Told about things that do not stop the session (a password the server does not need). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Connects to `opts` (its `host:port`, or the master Sentinel names) and authenticates.
 *
 * @throws ConnectionError within `opts.connectTimeoutMs`: ECONNREFUSED, ENOTFOUND, ETIMEDOUT,
 *   ETLS, WRONGPASS, NOAUTH, EPROTO, ECONNLOST, ESENTINEL, EREDIS; `signal.reason` when aborted.
 */
export async function openSession(opts: ConnectionOptions, options: SessionOptions = {}): Promise<Session> {
  const { signal } = options;
  signal?.throwIfAborted();
  const target = describeTarget(opts);
  const client = createClient(opts);
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  const fail = (error: unknown): ConnectionError =>
    toConnectionError(error instanceof Error && error.message === CONNECTION_CLOSED ? (lastError ?? error) : error, target, opts.connectTimeoutMs);

  const handshake = (async () => {
    try {
      await client.connect();
      if (opts.password !== undefined) await authenticate(client, opts.username, opts.password, options.onWarning);
      if (opts.clientName !== '') await setName(client, opts.clientName);
    } catch (error) {
      throw fail(error);
    }
  })();
  try {
    await withinConnectTimeout(handshake, target, opts.connectTimeoutMs, signal);
  } catch (error) {
    quietly(client);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    client,
    target,
    get lastError() {
      return lastError;
    },
    close() {
      closing ??= (async () => {
        if (client.status === 'ready') await Promise.race([client.quit().catch(() => {}), sleep(QUIT_TIMEOUT_MS)]);
        quietly(client);
      })();
      return closing;
    },
  };
}

/**
 * `work`, bounded by the connect timeout (an ETIMEDOUT ConnectionError naming `target`) and by `signal` (its
 * reason). The caller tears the connection down when this rejects.
 */
export async function withinConnectTimeout(work: Promise<void>, target: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new ConnectionError('ETIMEDOUT', target, `cannot connect to ${target}: timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  work.catch(() => {}); // the guard may win the race; the loser's rejection must not go unhandled
  try {
    await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * AUTH. Redis 6+ answers "ERR AUTH <password> called without any password configured for the default user",
 * Redis < 6 "ERR Client sent AUTH, but no password is set": that works anyway, as in redis-cli, and is a warning.
 */
export async function authenticate(client: RedisClient, username: string | undefined, password: string, onWarning?: (message: string) => void): Promise<void> {
  try {
    await (username === undefined ? client.auth(password) : client.auth(username, password));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/without any password configured|no password is set/i.test(message)) throw error;
    onWarning?.('a password was given but the server does not require one');
  }
}

/**
 * CLIENT SETNAME, so `CLIENT LIST` shows who is watching. Best effort: an ACL user without CLIENT (NOPERM) or a
 * name Redis refuses does not stop the session. Anything else (NOAUTH, an unsolicited "-ERR max number of
 * clients reached") is the first reply of the session and must be reported.
 */
export async function setName(client: RedisClient, name: string): Promise<void> {
  try {
    await client.client('SETNAME', name);
  } catch (error) {
    if (!(error instanceof Error && /^(NOPERM|ERR Client names)/.test(error.message))) throw error;
  }
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
