/**
 * Sharded Pub/Sub (Redis 7: SSUBSCRIBE / SPUBLISH) as an async iterable of raw messages.
 *
 * A shard channel lives in the hash slot of its name, and SPUBLISH reaches only the subscribers on
 * the shard that serves that slot. So each channel is SSUBSCRIBEd on the master that owns its slot
 * (from CLUSTER SLOTS), one connection per master, one SSUBSCRIBE per slot (Redis refuses channels
 * of different slots in one command: CROSSSLOT). Outside a cluster every channel goes to the one
 * server (or to the master Sentinel names).
 *
 * Following the cluster: when a slot moves away (resharding, failover), the old owner sends an
 * unsolicited `sunsubscribe` for each of its channels; when a master goes away, its connection
 * ends. Either way the channels concerned are re-resolved against a fresh CLUSTER SLOTS and
 * SSUBSCRIBEd on their new master, immediately and then with backoff until it works; a `gap` item
 * (and a `reconnected` status) marks the time they were not watched.
 *
 * Why not ioredis's Cluster (`shardedSubscribers`), read in node_modules/ioredis/built/cluster/:
 * it swallows SSUBSCRIBE errors while resubscribing ("TODO: Should we emit an error event here?"),
 * it only re-reads the slots after a MOVED, not after the `sunsubscribe` a slot migration sends,
 * and it reconnects on its own schedule. Two quirks of the plain client remain and are handled here:
 * - a `-MOVED` reply to SSUBSCRIBE is turned into a 'moved' event and the command never settles
 *   (DataHandler.returnError), so every SSUBSCRIBE is raced against that event;
 * - the unsolicited `sunsubscribe` finds no command waiting, so DataHandler reports it as an 'error'
 *   event "Command queue state error … Last reply: sunsubscribe,<channel>,<count>" — that is how
 *   a slot move is recognised. Nothing else is ever sent on these connections, so no reply can be
 *   paired with the wrong command.
 */
import { QueuedSubscriber } from './QueuedSubscriber.js';
import { keepAlive } from './keepAlive.js';
import type { ClusterTopology } from './ClusterTopology.js';
import { fetchTopology } from './cluster.js';
import { atAddress, describeTarget, type Address, type ConnectionOptions } from './connection.js';
import { ConnectionError, lossReason, PERMANENT_CODES, toConnectionError } from './ConnectionError.js';
import { DEFAULT_RECONNECT, reconnectDelay, type ReconnectPolicy } from './Backoff.js';
import { itemQueue } from './itemQueue.js';
import { keySlot } from './keySlot.js';
import type { MessageQueue } from './MessageQueue.js';
import { explainNoPerm } from './permissions.js';
import { openSession, type Session } from './session.js';
import type { Gap, SubscribeOptions, Subscriber, SubscriberItem, SubscriberStatus } from './subscriber.js';

/** Rounds of "CLUSTER SLOTS, SSUBSCRIBE, got MOVED" before an attempt gives up (gossip may lag). */
const MAX_MOVED_ROUNDS = 3;

/** Failures retrying will not fix: the subscription ends with them. */
const PERMANENT = PERMANENT_CODES;

/** DataHandler's report of a reply nobody waited for; here, a slot-migration `sunsubscribe`. */
const UNSOLICITED_SUNSUBSCRIBE = /Last reply: sunsubscribe,([\s\S]*),\d+$/;

export interface ShardRequest extends Pick<SubscribeOptions, 'onStatus' | 'queue' | 'reconnect' | 'keepAliveMs'> {
  readonly shardChannels: readonly string[];
}

/**
 * SSUBSCRIBEs every channel on its shard and resolves once each one is acknowledged.
 *
 * @throws ConnectionError: what `openSession` throws for a node, NOPERM naming the channel and the
 *   ACL rule, EREDIS for a server without sharded Pub/Sub (before Redis 7) or a slot no master serves.
 * @throws RangeError when `shardChannels` is empty.
 */
export async function openShardSubscriber(opts: ConnectionOptions, request: ShardRequest, signal?: AbortSignal): Promise<Subscriber> {
  const subscriber = new ShardSubscriber(opts, request, signal);
  await subscriber.start();
  return subscriber;
}

interface ShardNode {
  readonly key: string;
  readonly session: Session;
  /** Channels this node acknowledged and has not unsubscribed us from. */
  readonly channels: Set<string>;
  /** Why the keep-alive gave this connection up, when it did. */
  deadReason?: string;
  stopKeepAlive: () => void;
}

type State = 'starting' | 'subscribed' | 'closing' | 'closed';

class ShardSubscriber extends QueuedSubscriber {
  readonly target: string;
  private readonly channels: readonly string[];
  protected readonly queue: MessageQueue<SubscriberItem>;
  private readonly onStatus: ((status: SubscriberStatus) => void) | undefined;
  private readonly reconnect: ReconnectPolicy | false;
  private readonly keepAliveMs: number;
  private readonly nodes = new Map<string, ShardNode>();
  /** Channel → key of the node it is subscribed on; absent while it is not watched. */
  private readonly subscribedOn = new Map<string, string>();
  private topology: ClusterTopology | undefined;
  private state: State = 'starting';
  private gap: { from: number; reasons: string[] } | undefined;
  private resyncing: Promise<void> | undefined;
  private detachAbort: () => void = () => {};

  constructor(
    private readonly opts: ConnectionOptions,
    request: ShardRequest,
    private readonly signal: AbortSignal | undefined,
  ) {
    super();
    this.channels = [...new Set(request.shardChannels)];
    if (this.channels.length === 0) throw new RangeError('no shard channel to subscribe to');
    this.target = describeTarget(opts);
    this.queue = itemQueue(request.queue);
    this.onStatus = request.onStatus;
    this.reconnect = request.reconnect ?? false;
    this.keepAliveMs = request.keepAliveMs ?? 0;
  }

  async start(): Promise<void> {
    const { signal } = this;
    signal?.throwIfAborted();
    this.emit({ type: 'connecting', target: this.target });
    try {
      await this.subscribeChannels(this.channels, true);
    } catch (error) {
      this.state = 'closed';
      await this.closeNodes();
      throw error;
    }
    this.state = 'subscribed';
    this.emit({ type: 'subscribed', target: this.target, channels: [], patterns: [], exact: false, shardChannels: this.channels });
    if (signal) {
      const stopOnAbort = (): void => void this.stop();
      signal.addEventListener('abort', stopOnAbort, { once: true });
      this.detachAbort = () => signal.removeEventListener('abort', stopOnAbort);
    }
  }

  /**
   * SSUBSCRIBE `channels` on their owners, re-reading the topology when a node answers MOVED.
   * Rejects with a ConnectionError; channels acknowledged before a failure stay subscribed.
   */
  private async subscribeChannels(channels: readonly string[], first = false): Promise<void> {
    let pending = [...channels];
    for (let round = 1; pending.length > 0; round++) {
      if (this.opts.mode === 'cluster' && (round > 1 || !first || this.topology === undefined)) {
        this.topology = await fetchTopology(this.opts, this.topologySources(), this.signal);
      }
      const moved: string[] = [];
      await Promise.all(
        [...this.group(pending)].map(async ([key, { address, bySlot }]) => {
          const node = await this.node(key, address, first);
          for (const group of bySlot.values()) {
            if ((await this.ssubscribe(node, group)) === 'moved') moved.push(...group);
          }
        }),
      );
      if (moved.length > 0 && round >= MAX_MOVED_ROUNDS) {
        throw new ConnectionError('EREDIS', this.target, `cannot subscribe on ${this.target}: shard channel ${JSON.stringify(moved[0])} is still redirected (MOVED) after ${round} tries`);
      }
      pending = moved;
    }
  }

  /** Channels by owner, then by slot: one SSUBSCRIBE per slot. */
  private group(channels: readonly string[]): Map<string, { address: Address | undefined; bySlot: Map<number, string[]> }> {
    const groups = new Map<string, { address: Address | undefined; bySlot: Map<number, string[]> }>();
    for (const channel of channels) {
      const slot = keySlot(channel);
      let address: Address | undefined;
      if (this.topology !== undefined) {
        address = this.topology.masterOf(slot);
        if (address === undefined) {
          throw new ConnectionError('EREDIS', this.target, `cannot subscribe on ${this.target}: no master serves slot ${slot} (shard channel ${JSON.stringify(channel)}); is the cluster down?`);
        }
      }
      const key = address === undefined ? describeTarget(this.opts) : describeTarget(address);
      const entry = groups.get(key) ?? { address, bySlot: new Map<number, string[]>() };
      groups.set(key, entry);
      entry.bySlot.set(slot, [...(entry.bySlot.get(slot) ?? []), channel]);
    }
    return groups;
  }

  /** Where to read CLUSTER SLOTS: the masters we know (they learn of slot moves first), then the seeds. */
  private topologySources(): Address[] {
    const known = this.topology?.masters ?? [];
    const seeds = this.opts.mode === 'cluster' ? this.opts.cluster.seeds : [];
    const byKey = new Map<string, Address>();
    for (const address of [...known, ...seeds]) byKey.set(describeTarget(address), address);
    return [...byKey.values()];
  }

  /** The open connection to `key`, or a new one. */
  private async node(key: string, address: Address | undefined, announce: boolean): Promise<ShardNode> {
    const existing = this.nodes.get(key);
    if (existing && existing.session.client.status === 'ready') return existing;
    if (existing) void this.closeNode(existing); // closing or closed: its 'end' is ignored once it is out of the map
    const session = await openSession(address === undefined ? this.opts : atAddress(this.opts, address), {
      ...(this.signal ? { signal: this.signal } : {}),
      onWarning: (message) => this.emit({ type: 'warning', target: key, message }),
    });
    const node: ShardNode = { key, session, channels: new Set(), stopKeepAlive: () => {} };
    node.stopKeepAlive = keepAlive(session.client, this.keepAliveMs, (reason) => void (node.deadReason = reason));
    const { client } = session;
    // The Buffer event only: the string event decodes payloads as UTF-8, which is lossy.
    client.on('smessageBuffer', (channel: Buffer, payload: Buffer) => this.deliver(channel, payload));
    client.on('error', (error: Error) => {
      const channel = UNSOLICITED_SUNSUBSCRIBE.exec(error.message)?.[1];
      if (channel !== undefined) this.onUnsubscribed(node, channel);
    });
    client.on('end', () => this.onNodeLost(node));
    this.nodes.set(key, node);
    if (announce) this.emit({ type: 'connected', target: session.target });
    return node;
  }

  /** One SSUBSCRIBE (channels of one slot); 'moved' when the node does not own the slot (any more). */
  private async ssubscribe(node: ShardNode, channels: readonly string[]): Promise<'ok' | 'moved'> {
    const { client, target } = node.session;
    let onMoved: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const moved = new Promise<'moved'>((resolve) => {
      onMoved = () => resolve('moved');
      client.once('moved', onMoved);
    });
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new ConnectionError('ETIMEDOUT', target, `cannot subscribe on ${target}: no answer to SSUBSCRIBE within ${this.opts.connectTimeoutMs} ms`));
      }, this.opts.connectTimeoutMs);
    });
    try {
      const result = await Promise.race([client.ssubscribe(...channels).then(() => 'ok' as const), moved, timeout]);
      if (result === 'ok') {
        for (const channel of channels) {
          node.channels.add(channel);
          this.subscribedOn.set(channel, node.key);
        }
      }
      return result;
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      const cause = error instanceof Error && error.message === 'Connection is closed.' ? (node.session.lastError ?? error) : error;
      const failure = toConnectionError(cause, target, this.opts.connectTimeoutMs, 'subscribe on');
      if (failure.code === 'NOPERM') {
        const subscriptions = channels.map((argument) => ({ command: 'SSUBSCRIBE' as const, argument }));
        throw await explainNoPerm(failure, subscriptions, (_command, argument) => client.ssubscribe(argument), this.opts.username);
      }
      if (/unknown command/i.test(failure.message)) {
        throw new ConnectionError('EREDIS', target, `cannot subscribe on ${target}: the server has no sharded Pub/Sub (SSUBSCRIBE needs Redis 7)`, { cause: error });
      }
      throw failure;
    } finally {
      clearTimeout(timer);
      if (onMoved) client.off('moved', onMoved);
    }
  }

  private deliver(channel: Buffer, payload: Buffer): void {
    this.queue.push({ type: 'message', channel: channel.toString('utf8'), payload, receivedAt: Date.now(), sharded: true });
  }

  /** The node dropped our subscription to `channel`: its slot moved away. */
  private onUnsubscribed(node: ShardNode, channel: string): void {
    if (this.subscribedOn.get(channel) !== node.key) return;
    this.subscribedOn.delete(channel);
    node.channels.delete(channel);
    const reason = `slot ${keySlot(channel)} of shard channel ${JSON.stringify(channel)} moved away from ${node.session.target}`;
    this.emit({ type: 'warning', target: node.session.target, message: `${reason}; resubscribing on its new master` });
    this.lost(reason);
  }

  private onNodeLost(node: ShardNode): void {
    node.stopKeepAlive();
    if (this.nodes.get(node.key) !== node) return; // replaced, or closed by us
    this.nodes.delete(node.key);
    const channels = [...node.channels].filter((c) => this.subscribedOn.get(c) === node.key);
    for (const channel of channels) this.subscribedOn.delete(channel);
    if (this.state !== 'subscribed' || channels.length === 0) return;
    const why = node.deadReason ?? lossReason(node.session.lastError);
    const reason = `connection to ${node.session.target} lost (${why})`;
    if (this.reconnect === false) {
      this.giveUp(new ConnectionError('ECONNLOST', node.session.target, `connection to ${node.session.target} lost: ${why}`, { cause: node.session.lastError }));
      return;
    }
    this.emit({ type: 'reconnecting', target: node.session.target, attempt: 1, delayMs: 0, since: Date.now(), reason: why });
    this.lost(reason);
  }

  /** Some channels are no longer watched: open (or extend) the gap and resubscribe them. */
  private lost(reason: string): void {
    if (this.state !== 'subscribed') return;
    if (this.gap === undefined) this.gap = { from: Date.now(), reasons: [reason] };
    else if (!this.gap.reasons.includes(reason)) this.gap.reasons.push(reason);
    this.resyncing ??= this.resync().finally(() => {
      this.resyncing = undefined;
    });
  }

  /** Resubscribes every channel not watched: at once, then with backoff, until done, stopped or refused. */
  private async resync(): Promise<void> {
    const policy = this.reconnect === false ? DEFAULT_RECONNECT : this.reconnect;
    let failure: ConnectionError | undefined;
    for (let attempt = 1; this.state === 'subscribed'; attempt++) {
      const missing = this.channels.filter((channel) => !this.subscribedOn.has(channel));
      if (missing.length === 0) break;
      if (attempt > 1) {
        const delayMs = reconnectDelay(attempt - 1, policy);
        const { from: since, reasons } = this.gap ?? { from: Date.now(), reasons: [] };
        this.emit({ type: 'reconnecting', target: this.target, attempt, delayMs, since, reason: reasons.join('; '), ...(failure ? { error: failure } : {}) });
        await this.pause(delayMs);
      }
      if (this.state !== 'subscribed') return;
      try {
        await this.subscribeChannels(missing);
      } catch (error) {
        failure = error instanceof ConnectionError ? error : toConnectionError(error, this.target, this.opts.connectTimeoutMs);
        if (PERMANENT.has(failure.code)) {
          this.giveUp(failure);
          return;
        }
      }
    }
    if (this.state !== 'subscribed' || this.gap === undefined) return;
    const gap: Gap = { type: 'gap', from: this.gap.from, to: Date.now(), reason: this.gap.reasons.join('; ') };
    this.gap = undefined;
    this.queue.push(gap);
    this.emit({ type: 'reconnected', target: this.target, gap });
    // A node left without channels (all its slots moved away) is not needed any more.
    for (const node of [...this.nodes.values()]) if (node.channels.size === 0) void this.closeNode(node);
  }

  private giveUp(error: ConnectionError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.detachAbort();
    this.wake();
    void this.closeNodes();
    this.emit({ type: 'disconnected', target: this.target, error });
    this.queue.fail(error);
  }

  protected async shutdown(): Promise<void> {
    const wasOpen = this.state === 'subscribed';
    this.state = 'closing';
    this.detachAbort();
    this.wake();
    await this.closeNodes();
    this.state = 'closed';
    this.queue.end();
    if (wasOpen) this.emit({ type: 'disconnected', target: this.target });
  }

  private async closeNodes(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((node) => this.closeNode(node)));
  }

  private async closeNode(node: ShardNode): Promise<void> {
    node.stopKeepAlive();
    if (this.nodes.get(node.key) === node) this.nodes.delete(node.key);
    await node.session.close();
  }

  private emit(status: SubscriberStatus): void {
    this.onStatus?.(status);
  }
}
