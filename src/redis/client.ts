/**
 * The door to ioredis: the only value import of the client library, and the one place that turns
 * `ConnectionOptions` into its options (TLS, and Sentinel through our own connector).
 *
 * The client is configured to do nothing on its own (read in node_modules/ioredis/built/):
 * - `retryStrategy: () => null`: by default ioredis reconnects forever (`Math.min(times * 50, 2000)`),
 *   so a refused connection would never fail. Reconnecting is the subscriber's decision.
 * - `lazyConnect`: connect only when the subscriber calls `connect()` and is listening for errors.
 * - `enableOfflineQueue: false`, `maxRetriesPerRequest: 0`: a command sent while not connected fails
 *   now instead of waiting in a queue for a connection that may never come.
 * - `enableReadyCheck: false`: the ready check sends INFO, prints a console warning when an ACL user
 *   may not run INFO (NOPERM) and only waits for the dataset to load — Pub/Sub works while loading.
 * - no `password`/`username`/`connectionName`: ioredis sends AUTH itself in its connect handler and
 *   prints `[WARN] … does not require a password` via console.warn on some AUTH errors; the
 *   subscriber sends AUTH and CLIENT SETNAME itself so every answer comes back as a reply.
 * - `disableClientInfo`: no CLIENT SETINFO (unknown before Redis 7.2) — one command fewer to observe.
 * - `autoResubscribe: false`, `autoResendUnfulfilledCommands: false`: a reconnect must rerun our own
 *   handshake (AUTH, then the subscriptions) so the "subscribed" status means what it says.
 *
 * Sentinel: ioredis's own SentinelConnector retries forever unless `sentinelRetryStrategy` says
 * otherwise, answers an unknown master name with "All sentinels are unreachable", and sends the
 * sentinel AUTH itself (console.warn again). `MasterConnector` below asks the sentinels through
 * `resolveMaster` (sentinel.ts) at every connect instead, dials the master itself, and while
 * connected listens to a sentinel's `+switch-master` (as ioredis's `failoverDetector` does): when
 * the master is replaced it destroys the socket, so the subscriber's reconnect finds the new one.
 */
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { AbstractConnector, Redis, type RedisOptions } from 'ioredis';
import { atAddress, describeTarget, type Address, type ConnectionOptions, type SentinelOptions } from './connection.js';
import { CONNECTION_CLOSED } from './ConnectionError.js';
import { resolveMaster, switchedMaster, type AskSentinel } from './sentinel.js';
import { tlsConnectOptions } from './tls.js';

export type RedisClient = Redis;

/** How long ioredis waits for a half-closed socket before destroying it (its default). */
const DISCONNECT_TIMEOUT_MS = 2_000;

/**
 * A client that has not connected yet; call `connect()` after attaching an 'error' listener.
 * Standalone and cluster options connect to `host:port`; Sentinel options ask the sentinels for
 * the master at every `connect()`.
 */
export function createClient(opts: ConnectionOptions): RedisClient {
  if (opts.mode === 'sentinel') {
    const Connector = masterConnector(opts);
    // `tls` only tells ioredis to wait for 'secureConnect'; the connector builds the real options.
    return new Redis({ ...quietOptions(opts), ...(opts.tls ? { tls: {} } : {}), Connector });
  }
  return new Redis({ host: opts.host, port: opts.port, ...quietOptions(opts), ...(opts.tls ? { tls: tlsConnectOptions(opts.tls, opts.host) } : {}) });
}

function quietOptions(opts: ConnectionOptions): RedisOptions {
  return {
    family: 0,
    connectTimeout: opts.connectTimeoutMs,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
  };
}

/** A connector class bound to `opts` (ioredis instantiates it with its own options object). */
function masterConnector(opts: SentinelOptions): new () => AbstractConnector {
  const ask = askSentinel(opts);
  return class MasterConnector extends AbstractConnector {
    private abort = new AbortController();
    /** Ends the `+switch-master` subscription of the current connection. */
    private stopWatching: () => void = () => {};

    constructor() {
      super(DISCONNECT_TIMEOUT_MS);
    }

    override async connect(): Promise<Socket> {
      this.connecting = true;
      this.abort = new AbortController();
      delete this.firstError;
      const master = await resolveMaster(opts, ask, this.abort.signal);
      if (!this.connecting) throw new Error(CONNECTION_CLOSED);
      const stream = dial(opts, master);
      stream.once('error', (error) => {
        this.firstError = error;
      });
      const stopWatching = watchSwitch(opts, (to) => {
        if (to.host === master.host && to.port === master.port) return;
        stream.destroy(new Error(`sentinel switched ${opts.sentinel.masterName} to ${describeTarget(to)}`));
      });
      stream.once('close', stopWatching);
      this.stopWatching = stopWatching;
      this.stream = stream;
      return stream;
    }

    override disconnect(): void {
      this.abort.abort(new Error(CONNECTION_CLOSED));
      this.stopWatching();
      super.disconnect();
    }
  };
}

/**
 * SUBSCRIBE `+switch-master` on the first sentinel that accepts, calling `onSwitch` with the new
 * address of our master. Best effort: without a sentinel to listen to, the connection still ends
 * when Sentinel demotes the old master (it kills its Pub/Sub clients). Returns the stop function.
 */
function watchSwitch(opts: SentinelOptions, onSwitch: (to: Address) => void): () => void {
  let stopped = false;
  let listening: Redis | undefined;
  void (async () => {
    for (const sentinel of opts.sentinel.sentinels) {
      if (stopped) return;
      const client = sentinelClient(opts, sentinel);
      client.on('error', () => {}); // best effort: a failure only means no early warning
      try {
        await client.connect();
        await authenticateSentinel(client, opts);
        client.on('message', (_channel: string, message: string) => {
          const to = switchedMaster(message, opts.sentinel.masterName);
          if (to !== undefined) onSwitch(to);
        });
        await client.subscribe('+switch-master');
      } catch {
        quietly(client);
        continue;
      }
      if (stopped) quietly(client);
      else listening = client;
      return;
    }
  })();
  return () => {
    stopped = true;
    if (listening) quietly(listening);
  };
}

/**
 * Disconnects without leaving a timer behind. `disconnect()` half-closes the socket and arms a
 * 2 s timer (not unref'd) that only a 'close' event clears; on a socket that already closed (a
 * refused connection) nothing clears it and the process lingers 2 s. So: skip it once the client
 * has ended, and destroy the socket right away otherwise.
 */
export function quietly(client: Redis): void {
  if (client.status === 'end') return;
  client.disconnect();
  client.stream?.destroy();
}

/** A client for one sentinel, with the sentinel's TLS settings and a bound on every command. */
function sentinelClient(opts: SentinelOptions, sentinel: Address): Redis {
  const node = atAddress(opts, sentinel);
  return new Redis({ host: node.host, port: node.port, ...quietOptions(node), commandTimeout: node.connectTimeoutMs, ...(node.tls ? { tls: tlsConnectOptions(node.tls, node.host) } : {}) });
}

async function authenticateSentinel(client: Redis, opts: SentinelOptions): Promise<void> {
  const { username, password } = opts.sentinel;
  if (password !== undefined) await (username === undefined ? client.auth(password) : client.auth(username, password));
}

function dial(opts: ConnectionOptions, address: Address): Socket {
  if (opts.tls) return tls.connect({ host: address.host, port: address.port, ...tlsConnectOptions(opts.tls, address.host) });
  return net.createConnection({ host: address.host, port: address.port });
}

/** One short-lived connection per question: connect, AUTH with the sentinel credentials, ask. */
function askSentinel(opts: SentinelOptions): AskSentinel {
  return async (sentinel, signal) => {
    const client = sentinelClient(opts, sentinel);
    let lastError: Error | undefined;
    client.on('error', (error: Error) => {
      lastError = error;
    });
    const onAbort = (): void => quietly(client);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      try {
        await client.connect();
      } catch (error) {
        // "Connection is closed." hides the socket's reason, which came as an 'error' event.
        throw error instanceof Error && error.message === CONNECTION_CLOSED && lastError ? lastError : error;
      }
      await authenticateSentinel(client, opts);
      return await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', opts.sentinel.masterName);
    } finally {
      signal.removeEventListener('abort', onAbort);
      quietly(client);
    }
  };
}
