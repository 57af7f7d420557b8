/**
 * The door to ioredis: the only value import of the client library, and the one place that turns
 * `ConnectionOptions` into its options (TLS, Sentinel and Cluster will be added here, issue 5).
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
 */
import { Redis } from 'ioredis';
import type { ConnectionOptions } from './connection.js';

export type RedisClient = Redis;

/** A client that has not connected yet; call `connect()` after attaching an 'error' listener. */
export function createClient(opts: ConnectionOptions): RedisClient {
  return new Redis({
    host: opts.host,
    port: opts.port,
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
  });
}
