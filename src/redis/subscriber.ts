/**
 * A Redis Pub/Sub subscription as an async iterable of raw messages.
 *
 * ```ts
 * const sub = await openSubscriber(conn, { channels: ['chat'], patterns: ['phx:*'], exact: false,
 *   onStatus: (s) => io.stderr.write(formatStatus(s)) }, io.signal);
 * for await (const message of sub) render(message);
 * ```
 *
 * Lifecycle: connecting → connected → subscribed → (messages) → disconnected. The iteration yields
 * messages and, in their order, two kinds of markers: `drop` where the queue dropped messages
 * because the consumer fell behind, and `gap` where the connection was lost and re-established.
 *
 * Losing the connection after a successful start: with `reconnect` (a policy), the subscriber emits
 * `reconnecting` and retries with backoff, each attempt a fresh client running the same handshake
 * as the first (AUTH, CLIENT SETNAME, the (P)SUBSCRIBEs, their acknowledgements), until it is
 * subscribed again (`reconnected`, and a `gap` item in the stream) or an attempt fails in a way
 * retrying cannot fix (authentication, permission: the iteration then fails with that error).
 * Without it (the default), the iteration ends with a `ConnectionError` (`ECONNLOST`) once the
 * messages already received are consumed.
 */
import { QueuedSubscriber } from './QueuedSubscriber.js';
import { authenticate, setName, withinConnectTimeout } from './session.js';
import { keepAlive } from './keepAlive.js';
import { createClient, type RedisClient } from './client.js';
import { describeTarget, type ConnectionOptions } from './connection.js';
import { CONNECTION_CLOSED, ConnectionError, lossReason, PERMANENT_CODES, toConnectionError } from './ConnectionError.js';
import type { DropRun, MessageQueue } from './MessageQueue.js';
import { itemQueue } from './itemQueue.js';
import { reconnectDelay, type ReconnectPolicy } from './Backoff.js';
import { OverlapFilter } from './OverlapFilter.js';
import { explainNoPerm, planSubscriptions, type SubscribeCommand } from './permissions.js';
import { SubscriptionPlan, type SubscribeRequest } from './SubscriptionPlan.js';

export type { SubscribeRequest } from './SubscriptionPlan.js';

/** How long close() waits for the server to answer QUIT before dropping the socket. */
const QUIT_TIMEOUT_MS = 1_000;
/** Upper bound on waiting for the client to report 'end' after we drop the socket. */
const TEARDOWN_TIMEOUT_MS = 2_000;

export interface RawMessage {
  readonly type: 'message';
  /** The channel, its bytes read as UTF-8 (a channel name that is not UTF-8 shows U+FFFD). */
  readonly channel: string;
  /** The user pattern it matched; absent for messages on an exact channel. */
  readonly pattern?: string;
  /**
   * The payload, byte for byte. It may be a view into a larger shared buffer (the parser's pool):
   * read it through `byteOffset`/`byteLength`, never through `payload.buffer` alone.
   */
  readonly payload: Buffer;
  /** `Date.now()` when the message was read from the socket. */
  readonly receivedAt: number;
  /** Set for a message on a sharded channel (SPUBLISH, received through SSUBSCRIBE; see ShardSubscriber). */
  readonly sharded?: true;
}

/**
 * The subscription was not listening from `from` (the connection was found lost) to `to` (messages
 * flow again on a new connection): whatever was published in between is gone, Pub/Sub is at-most-once.
 */
export interface Gap {
  readonly type: 'gap';
  readonly from: number;
  readonly to: number;
  /** Why the connection was lost, e.g. "closed by the server". */
  readonly reason: string;
}

/** Messages received but dropped, oldest first, because the consumer fell behind the queue's bounds. */
export interface Dropped extends DropRun {
  readonly type: 'drop';
}

/** What the subscriber yields, in stream order. */
export type SubscriberItem = RawMessage | Gap | Dropped;

export type SubscriberStatus =
  | { readonly type: 'connecting'; readonly target: string }
  /** TCP connected and, when a password was given, authenticated. */
  | { readonly type: 'connected'; readonly target: string }
  /** Redis acknowledged every channel and pattern: from here on no message is missed. */
  | {
      readonly type: 'subscribed';
      readonly target: string;
      readonly channels: readonly string[];
      readonly patterns: readonly string[];
      readonly exact: boolean;
      /** Sharded channels (SSUBSCRIBE), when any were asked for. */
      readonly shardChannels?: readonly string[];
    }
  /**
   * The connection was lost at `since` (for `reason`); attempt number `attempt` follows in `delayMs`.
   * From the second attempt on, `error` says why the previous one failed.
   */
  | {
      readonly type: 'reconnecting';
      readonly target: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly since: number;
      readonly reason: string;
      readonly error?: ConnectionError;
    }
  /** Subscribed again after a loss; the same `gap` is in the stream, after the messages before it. */
  | { readonly type: 'reconnected'; readonly target: string; readonly gap: Gap }
  /** The subscription ended: by close() (no error) or because the connection was lost. */
  | { readonly type: 'disconnected'; readonly target: string; readonly error?: ConnectionError }
  /** Something worth telling the user that does not stop the subscription. */
  | { readonly type: 'warning'; readonly target: string; readonly message: string };

export interface SubscribeOptions extends SubscribeRequest {
  /** Called synchronously for each status change; must not throw. */
  readonly onStatus?: (status: SubscriberStatus) => void;
  /**
   * Bounds for messages received but not yet consumed: `limit` messages (default 10 000) and
   * `maxBytes` bytes of payload (default 64 MiB), whichever is reached first; oldest dropped first.
   * `onDrop` is called after each drop with the running total.
   */
  readonly queue?: { readonly limit?: number; readonly maxBytes?: number; readonly onDrop?: (dropped: number) => void };
  /** Reconnect after losing the connection (see `DEFAULT_RECONNECT`), or not (`false`, the default). */
  readonly reconnect?: ReconnectPolicy | false;
  /**
   * Send PING this often while subscribed; a PING still unanswered at the next one means the connection is
   * dead though no socket error came (a partition, a NAT timeout): it is then dropped and treated as lost.
   * 0 or absent: no keep-alive.
   */
  readonly keepAliveMs?: number;
  /**
   * Other servers that carry the same subscription (a cluster's other seeds: classic Pub/Sub is cluster-wide).
   * Reconnect attempts go round the first server and these, so a node that is gone for good is left behind.
   */
  readonly fallbacks?: readonly ConnectionOptions[];
}

export interface Subscriber extends AsyncIterable<SubscriberItem> {
  /** `host:port`, for messages. */
  readonly target: string;
  /** Messages dropped because the consumer fell behind the queue's bounds. */
  readonly dropped: number;
  /** Items received and not yet consumed. */
  readonly queued: number;
  /** The next item if one is already queued, without waiting; else `undefined` (then await the iterator). */
  poll(): SubscriberItem | undefined;
  /**
   * Stops receiving: sends QUIT, waits for the server to close the connection (at most ~1 s, then
   * drops the socket) and cancels a reconnect in progress. The iteration goes on through what is
   * already queued, then ends. Safe to call twice.
   */
  stop(): Promise<void>;
  /**
   * `stop()`, and ends the iteration at once: items still queued are discarded. Safe to call twice,
   * and after `stop()`. Breaking out of a `for await` loop calls it too.
   */
  close(): Promise<void>;
}

/**
 * Connects, authenticates, subscribes, and resolves once Redis has acknowledged every channel and
 * pattern. Exact channels go through PSUBSCRIBE with their glob characters escaped, so the watcher
 * does not show in `PUBSUB NUMSUB`; `exact: true` uses SUBSCRIBE instead. A PUBLISH that matches
 * several subscriptions is yielded once (see OverlapFilter); a message on an exact channel is
 * reported without `pattern` even when a user pattern matches it too.
 *
 * Aborting `signal` before the promise settles disconnects and rejects with `signal.reason`; after,
 * it calls `stop()` (the consumer still gets what was received).
 *
 * @throws ConnectionError within `opts.connectTimeoutMs`: ECONNREFUSED, ENOTFOUND, ETIMEDOUT,
 *   WRONGPASS, NOAUTH, NOPERM, EPROTO, ECONNLOST, EREDIS.
 * @throws RangeError when the request names no channel and no pattern, or the queue limit is invalid.
 */
export async function openSubscriber(
  opts: ConnectionOptions,
  request: SubscribeOptions,
  signal?: AbortSignal,
): Promise<Subscriber> {
  const subscriber = new RedisSubscriber(opts, request, signal);
  await subscriber.start();
  return subscriber;
}

/** `reconnecting`: lost after being subscribed, a reconnect loop is running (messages still flow to the consumer). */
type State = 'starting' | 'subscribed' | 'reconnecting' | 'closing' | 'closed';

/** Reconnect attempts failing with these will fail again: give up and tell the consumer. */
const PERMANENT = PERMANENT_CODES;

class RedisSubscriber extends QueuedSubscriber {
  /** The server of the current connection: `opts` first, then (after losses) the fallbacks in turn. */
  private current: ConnectionOptions;
  private readonly candidates: readonly ConnectionOptions[];
  private readonly plan: SubscriptionPlan;
  protected readonly queue: MessageQueue<SubscriberItem>;
  /** Only needed when Redis can deliver one PUBLISH through two of our subscriptions. */
  private readonly filter: OverlapFilter | undefined;
  /** The current connection; a reconnect replaces it with a fresh one (see `attachClient`). */
  private client: RedisClient;
  private readonly onStatus: ((status: SubscriberStatus) => void) | undefined;
  private readonly reconnect: ReconnectPolicy | false;
  private state: State = 'starting';
  private lastError: Error | undefined;
  /** Set from losing the connection until messages flow again. */
  private gap: { from: number; reason: string } | undefined;
  /** Cuts the wait before the next reconnect attempt short (on stop/close). */
  private detachAbort: () => void = () => {};
  private readonly keepAliveMs: number;
  private stopKeepAlive: () => void = () => {};

  constructor(
    opts: ConnectionOptions,
    request: SubscribeOptions,
    private readonly signal: AbortSignal | undefined,
  ) {
    super();
    this.current = opts;
    this.candidates = [opts, ...(request.fallbacks ?? [])];
    this.plan = new SubscriptionPlan(request);
    this.queue = itemQueue(request.queue);
    this.filter = this.plan.size > 1 ? new OverlapFilter() : undefined;
    this.onStatus = request.onStatus;
    this.reconnect = request.reconnect ?? false;
    this.keepAliveMs = request.keepAliveMs ?? 0;
    this.client = this.attachClient();
  }

  get target(): string {
    return describeTarget(this.current);
  }

  /** A new, unconnected client whose events reach this subscriber only while it is the current one. */
  private attachClient(): RedisClient {
    const client = createClient(this.current);
    const current = (): boolean => client === this.client;
    this.lastError = undefined;
    // Without an 'error' listener ioredis prints "[ioredis] Unhandled error event" to stderr; the
    // error itself also reaches us through the rejected command or the 'end' that follows.
    client.on('error', (error: Error) => {
      if (current()) this.lastError = error;
    });
    // The Buffer events only: the string events decode payloads as UTF-8, which is lossy.
    client.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
      if (current()) this.deliver(channel, undefined, payload);
    });
    client.on('pmessageBuffer', (pattern: string, channel: Buffer, payload: Buffer) => {
      if (current()) this.deliver(channel, pattern, payload);
    });
    client.on('end', () => {
      if (current()) this.onEnd();
    });
    return client;
  }

  async start(): Promise<void> {
    const { signal } = this;
    signal?.throwIfAborted();
    this.emit({ type: 'connecting', target: this.target });
    try {
      await this.connectOnce(signal);
    } catch (error) {
      this.state = 'closed';
      await this.teardown();
      throw error;
    }
    this.state = 'subscribed';
    this.startKeepAlive();
    this.emit({
      type: 'subscribed',
      target: this.target,
      channels: this.plan.request.channels,
      patterns: this.plan.request.patterns,
      exact: this.plan.request.exact,
    });
    if (signal) {
      const stopOnAbort = (): void => void this.stop();
      signal.addEventListener('abort', stopOnAbort, { once: true });
      this.detachAbort = () => signal.removeEventListener('abort', stopOnAbort);
    }
  }

  /**
   * The handshake on the current client, bounded by `connectTimeoutMs` (and by `signal`). The caller
   * tears the client down when this rejects.
   */
  private async connectOnce(signal?: AbortSignal): Promise<void> {
    await withinConnectTimeout(this.handshake(), this.target, this.current.connectTimeoutMs, signal);
    // Closed right after the last acknowledgement: its 'end' came while nobody would act on it.
    const { status } = this.client;
    if (status === 'close' || status === 'end') {
      throw new ConnectionError('ECONNLOST', this.target, `cannot subscribe on ${this.target}: ${lossReason(this.lastError)}`);
    }
  }

  /** Connect, AUTH, CLIENT SETNAME, PSUBSCRIBE/SUBSCRIBE. Rejects with a ConnectionError. */
  private async handshake(): Promise<void> {
    const { client, current: opts, plan, target } = this;
    // A command cut off by a closing socket only says "Connection is closed."; the socket's own
    // reason (ECONNREFUSED, ECONNRESET …) came earlier as an 'error' event.
    const fail = (error: unknown, action: 'connect to' | 'subscribe on' = 'connect to'): ConnectionError =>
      toConnectionError(isConnectionClosed(error) ? (this.lastError ?? error) : error, target, opts.connectTimeoutMs, action);
    try {
      await client.connect();
    } catch (error) {
      throw fail(error);
    }
    try {
      // The warning is said once: a reconnect meets the same server.
      const onWarning = this.state === 'starting' ? (message: string) => this.emit({ type: 'warning', target, message }) : undefined;
      if (opts.password !== undefined) await authenticate(client, opts.username, opts.password, onWarning);
      if (opts.clientName !== '') await setName(client, opts.clientName);
    } catch (error) {
      throw fail(error);
    }
    if (this.state === 'closing' || this.state === 'closed') return; // timed out, aborted or closed meanwhile: the caller reports that
    if (this.state === 'starting') this.emit({ type: 'connected', target }); // a reconnect says `reconnected` when done
    try {
      if (plan.psubscribe.length > 0) await client.psubscribe(...plan.psubscribe);
      if (plan.subscribe.length > 0) await client.subscribe(...plan.subscribe);
    } catch (error) {
      const failure = fail(error, 'subscribe on');
      if (failure.code !== 'NOPERM') throw failure;
      // Name what was refused and the ACL rule that allows it (permissions.ts).
      const trySubscribe = (command: SubscribeCommand, argument: string) => (command === 'PSUBSCRIBE' ? client.psubscribe(argument) : client.subscribe(argument));
      throw await explainNoPerm(failure, planSubscriptions(plan), trySubscribe, opts.username);
    }
  }

  private deliver(channel: Buffer, via: string | undefined, payload: Buffer): void {
    if (this.filter && !this.filter.admit(channel, via, payload)) return;
    const pattern = this.plan.patternFor(channel, via);
    const receivedAt = Date.now();
    const name = channel.toString('utf8');
    // The first message on a new connection closes the gap, so the gap comes before it in the stream
    // (with SUBSCRIBE and PSUBSCRIBE both, messages can arrive before the last acknowledgement).
    if (this.gap) this.endGap();
    this.queue.push(
      pattern === undefined
        ? { type: 'message', channel: name, payload, receivedAt }
        : { type: 'message', channel: name, pattern, payload, receivedAt },
    );
  }

  /** Keep-alive on the current client (see keepAlive.ts): a dead one ends, and onEnd() takes over. */
  private startKeepAlive(): void {
    this.stopKeepAlive();
    this.stopKeepAlive = keepAlive(this.client, this.keepAliveMs, (reason) => {
      this.lastError = new Error(reason);
    });
  }

  private onEnd(): void {
    this.stopKeepAlive();
    if (this.state !== 'subscribed') return; // start(), a reconnect attempt or stop() is in charge
    const reason = lossReason(this.lastError);
    if (this.reconnect === false) {
      const error = new ConnectionError('ECONNLOST', this.target, `connection to ${this.target} lost: ${reason}`, {
        cause: this.lastError,
      });
      this.giveUp(error);
      return;
    }
    this.state = 'reconnecting';
    this.gap = { from: Date.now(), reason };
    void this.reconnectLoop(this.reconnect);
  }

  /**
   * Waits, then tries a fresh client with the same handshake as the first, until subscribed again,
   * stopped, or refused in a way retrying cannot fix. A fresh client per attempt, rather than the
   * client library's own reconnect, so every attempt is the first one again: the same connect
   * timeout, the same error mapping, and no hidden state (offline queues, remembered subscriptions).
   */
  private async reconnectLoop(policy: ReconnectPolicy): Promise<void> {
    let failure: ConnectionError | undefined;
    for (let attempt = 1; ; attempt++) {
      this.gap ??= { from: Date.now(), reason: failure?.message ?? 'closed by the server' };
      const delayMs = reconnectDelay(attempt, policy);
      const { from: since, reason } = this.gap;
      this.emit({ type: 'reconnecting', target: this.target, attempt, delayMs, since, reason, ...(failure ? { error: failure } : {}) });
      await this.pause(delayMs);
      if (this.state !== 'reconnecting') return;
      this.filter?.reset();
      // Round the candidates: the same server first (a restart), then the others (a node gone for good).
      this.current = this.candidates[(attempt - 1) % this.candidates.length]!;
      this.client = this.attachClient();
      try {
        await this.connectOnce();
      } catch (error) {
        if (this.state !== 'reconnecting') return; // stopped meanwhile; shutdown() tears the client down
        await this.teardown();
        failure = error instanceof ConnectionError ? error : toConnectionError(error, this.target, this.current.connectTimeoutMs);
        if (PERMANENT.has(failure.code)) {
          this.giveUp(failure);
          return;
        }
        continue;
      }
      if (this.state !== 'reconnecting') return;
      this.state = 'subscribed';
      this.startKeepAlive();
      this.endGap();
      return;
    }
  }

  /** The gap ends now: it goes into the stream after everything received before it, and is reported. */
  private endGap(): void {
    const open = this.gap;
    if (open === undefined) return;
    this.gap = undefined;
    const gap: Gap = { type: 'gap', from: open.from, to: Date.now(), reason: open.reason };
    this.queue.push(gap);
    this.emit({ type: 'reconnected', target: this.target, gap });
  }

  /** The subscription is over because of `error`: the consumer gets what is queued, then the error. */
  private giveUp(error: ConnectionError): void {
    this.stopKeepAlive();
    this.state = 'closed';
    this.detachAbort();
    this.emit({ type: 'disconnected', target: this.target, error });
    this.queue.fail(error);
  }

  protected async shutdown(): Promise<void> {
    this.stopKeepAlive();
    const wasOpen = this.state === 'subscribed' || this.state === 'reconnecting';
    this.state = 'closing';
    this.detachAbort();
    this.wake();
    if (this.client.status === 'ready') {
      // QUIT, so the server sees a client that leaves rather than one that vanishes.
      await Promise.race([this.client.quit().catch(() => {}), sleep(QUIT_TIMEOUT_MS)]);
    }
    await this.teardown();
    this.state = 'closed';
    this.queue.end(); // after stop(): the consumer gets what arrived until the server closed
    if (wasOpen) this.emit({ type: 'disconnected', target: this.target });
  }

  /** Drops the socket now (no reconnect) and waits for the client to report 'end'. */
  private async teardown(): Promise<void> {
    const { client } = this;
    if (client.status === 'end') return;
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    client.disconnect();
    // disconnect() only half-closes and waits up to 2 s for the socket; a connect in flight
    // (a black-holed SYN) would keep the process alive that long. `stream` is typed as always set,
    // but is undefined until the connector has created the socket.
    client.stream?.destroy();
    await Promise.race([ended, sleep(TEARDOWN_TIMEOUT_MS)]);
  }

  private emit(status: SubscriberStatus): void {
    this.onStatus?.(status);
  }
}

/** Why a connection that was up went away, in a few words. */
function isConnectionClosed(error: unknown): boolean {
  return error instanceof Error && error.message === CONNECTION_CLOSED;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
