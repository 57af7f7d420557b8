/**
 * A Redis Pub/Sub subscription as an async iterable of raw messages.
 *
 * ```ts
 * const sub = await openSubscriber(conn, { channels: ['chat'], patterns: ['phx:*'], exact: false,
 *   onStatus: (s) => io.stderr.write(formatStatus(s)) }, io.signal);
 * for await (const message of sub) render(message);
 * ```
 *
 * Lifecycle: connecting → connected → subscribed → (messages) → disconnected. After a successful
 * start, losing the connection ends the iteration with a `ConnectionError` (`ECONNLOST`) once the
 * messages already received are consumed. Reconnecting (issue 5) goes in `onEnd`: let the client's
 * `retryStrategy` return a delay, emit `reconnecting`, rerun `handshake` on 'ready', `filter.reset()`.
 */
import { createClient, type RedisClient } from './client.js';
import { describeTarget, type ConnectionOptions } from './connection.js';
import { CONNECTION_CLOSED, ConnectionError, toConnectionError } from './ConnectionError.js';
import { MessageQueue, type MessageQueueOptions } from './MessageQueue.js';
import { OverlapFilter } from './OverlapFilter.js';
import { SubscriptionPlan, type SubscribeRequest } from './SubscriptionPlan.js';

export type { SubscribeRequest } from './SubscriptionPlan.js';

/** How long close() waits for the server to answer QUIT before dropping the socket. */
const QUIT_TIMEOUT_MS = 1_000;
/** Upper bound on waiting for the client to report 'end' after we drop the socket. */
const TEARDOWN_TIMEOUT_MS = 2_000;

export interface RawMessage {
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
}

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
    }
  /** Reserved for issue 5 (reconnects); not emitted yet. */
  | { readonly type: 'reconnecting'; readonly target: string; readonly attempt: number; readonly delayMs: number }
  /** The subscription ended: by close() (no error) or because the connection was lost. */
  | { readonly type: 'disconnected'; readonly target: string; readonly error?: ConnectionError }
  /** Something worth telling the user that does not stop the subscription. */
  | { readonly type: 'warning'; readonly target: string; readonly message: string };

export interface SubscribeOptions extends SubscribeRequest {
  /** Called synchronously for each status change; must not throw. */
  readonly onStatus?: (status: SubscriberStatus) => void;
  /** Bound for messages received but not yet consumed (default 10 000, oldest dropped first). */
  readonly queue?: MessageQueueOptions;
}

export interface Subscriber extends AsyncIterable<RawMessage> {
  /** `host:port`, for messages. */
  readonly target: string;
  /** Messages dropped because the consumer fell `queue.limit` messages behind. */
  readonly dropped: number;
  /** Messages received and not yet consumed. */
  readonly queued: number;
  /**
   * Sends QUIT, waits for the server to close the connection (at most ~1 s, then drops the socket)
   * and ends the iteration at once: messages still queued are discarded. Safe to call twice.
   * Breaking out of a `for await` loop calls it too.
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
 * it calls `close()`.
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

type State = 'starting' | 'subscribed' | 'closing' | 'closed';

class RedisSubscriber implements Subscriber {
  readonly target: string;
  private readonly plan: SubscriptionPlan;
  private readonly queue: MessageQueue<RawMessage>;
  /** Only needed when Redis can deliver one PUBLISH through two of our subscriptions. */
  private readonly filter: OverlapFilter | undefined;
  private readonly client: RedisClient;
  private readonly onStatus: ((status: SubscriberStatus) => void) | undefined;
  private state: State = 'starting';
  private lastError: Error | undefined;
  private closing: Promise<void> | undefined;
  private detachAbort: () => void = () => {};

  constructor(
    private readonly opts: ConnectionOptions,
    request: SubscribeOptions,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.target = describeTarget(opts);
    this.plan = new SubscriptionPlan(request);
    this.queue = new MessageQueue(request.queue);
    this.filter = this.plan.size > 1 ? new OverlapFilter() : undefined;
    this.onStatus = request.onStatus;
    this.client = createClient(opts);
    // Without an 'error' listener ioredis prints "[ioredis] Unhandled error event" to stderr; the
    // error itself also reaches us through the rejected command or the 'end' that follows.
    this.client.on('error', (error: Error) => {
      this.lastError = error;
    });
    // The Buffer events only: the string events decode payloads as UTF-8, which is lossy.
    this.client.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.deliver(channel, undefined, payload));
    this.client.on('pmessageBuffer', (pattern: string, channel: Buffer, payload: Buffer) =>
      this.deliver(channel, pattern, payload),
    );
    this.client.on('end', () => this.onEnd());
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  get queued(): number {
    return this.queue.size;
  }

  async start(): Promise<void> {
    const { signal } = this;
    signal?.throwIfAborted();
    this.emit({ type: 'connecting', target: this.target });
    const timeoutMs = this.opts.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const guard = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new ConnectionError('ETIMEDOUT', this.target, `cannot connect to ${this.target}: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const handshake = this.handshake();
    handshake.catch(() => {}); // the guard may win the race; its loss must not become an unhandled rejection
    try {
      await Promise.race([handshake, guard]);
    } catch (error) {
      this.state = 'closed';
      await this.teardown();
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    this.state = 'subscribed';
    this.emit({
      type: 'subscribed',
      target: this.target,
      channels: this.plan.request.channels,
      patterns: this.plan.request.patterns,
      exact: this.plan.request.exact,
    });
    if (signal) {
      const closeOnAbort = (): void => void this.close();
      signal.addEventListener('abort', closeOnAbort, { once: true });
      this.detachAbort = () => signal.removeEventListener('abort', closeOnAbort);
    }
  }

  /** Connect, AUTH, CLIENT SETNAME, PSUBSCRIBE/SUBSCRIBE. Rejects with a ConnectionError. */
  private async handshake(): Promise<void> {
    const { client, opts, plan, target } = this;
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
      if (opts.password !== undefined) await this.authenticate(opts.password);
      if (opts.clientName !== '') await this.setName(opts.clientName);
    } catch (error) {
      throw fail(error);
    }
    if (this.state !== 'starting') return; // timed out or aborted meanwhile: start() reports that
    this.emit({ type: 'connected', target });
    try {
      if (plan.psubscribe.length > 0) await client.psubscribe(...plan.psubscribe);
      if (plan.subscribe.length > 0) await client.subscribe(...plan.subscribe);
    } catch (error) {
      const failure = fail(error, 'subscribe on');
      if (failure.code !== 'NOPERM' || plan.request.exact || plan.request.channels.length === 0) throw failure;
      // ACLs compare a PSUBSCRIBE argument literally with the user's `&pattern`s, so an exact channel
      // watched through its escaped pattern can be refused where SUBSCRIBE is allowed.
      const hint = 'exact channels are watched with PSUBSCRIBE; exact mode (SUBSCRIBE) may be allowed';
      throw new ConnectionError('NOPERM', target, `${failure.message}; ${hint}`, { cause: error });
    }
  }

  private async authenticate(password: string): Promise<void> {
    const { username } = this.opts;
    try {
      await (username === undefined ? this.client.auth(password) : this.client.auth(username, password));
    } catch (error) {
      // Redis 6+: "ERR AUTH <password> called without any password configured for the default user";
      // Redis < 6: "ERR Client sent AUTH, but no password is set". Works anyway, as redis-cli does.
      const message = error instanceof Error ? error.message : String(error);
      if (!/without any password configured|no password is set/i.test(message)) throw error;
      this.emit({ type: 'warning', target: this.target, message: 'a password was given but the server does not require one' });
    }
  }

  /**
   * Lets `CLIENT LIST` show who is watching. Best effort: an ACL user without CLIENT (NOPERM) or a
   * name Redis refuses does not stop the subscription. Anything else (NOAUTH, an unsolicited
   * "-ERR max number of clients reached") is the first reply of the session and must be reported.
   */
  private async setName(name: string): Promise<void> {
    try {
      await this.client.client('SETNAME', name);
    } catch (error) {
      if (!(error instanceof Error && /^(NOPERM|ERR Client names)/.test(error.message))) throw error;
    }
  }

  private deliver(channel: Buffer, via: string | undefined, payload: Buffer): void {
    if (this.filter && !this.filter.admit(channel, via, payload)) return;
    const pattern = this.plan.patternFor(channel, via);
    const receivedAt = Date.now();
    const name = channel.toString('utf8');
    this.queue.push(pattern === undefined ? { channel: name, payload, receivedAt } : { channel: name, pattern, payload, receivedAt });
  }

  private onEnd(): void {
    if (this.state !== 'subscribed') return; // start() or close() is in charge
    // Issue 5 decides here whether to reconnect instead.
    this.state = 'closed';
    this.detachAbort();
    const reason = this.lastError ? this.lastError.message : 'closed by the server';
    const error = new ConnectionError('ECONNLOST', this.target, `connection to ${this.target} lost: ${reason}`, {
      cause: this.lastError,
    });
    this.emit({ type: 'disconnected', target: this.target, error });
    this.queue.fail(error);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const wasSubscribed = this.state === 'subscribed';
    this.state = 'closing';
    this.detachAbort();
    this.queue.clear();
    if (this.client.status === 'ready') {
      // QUIT, so the server sees a client that leaves rather than one that vanishes.
      await Promise.race([this.client.quit().catch(() => {}), sleep(QUIT_TIMEOUT_MS)]);
    }
    await this.teardown();
    this.state = 'closed';
    if (wasSubscribed) this.emit({ type: 'disconnected', target: this.target });
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

  [Symbol.asyncIterator](): AsyncIterator<RawMessage> {
    return {
      next: () => this.queue.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  private emit(status: SubscriberStatus): void {
    this.onStatus?.(status);
  }
}

function isConnectionClosed(error: unknown): boolean {
  return error instanceof Error && error.message === CONNECTION_CLOSED;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
