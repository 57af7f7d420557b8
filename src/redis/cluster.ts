/**
 * What watching a Redis Cluster needs beyond one connection: the topology (CLUSTER SLOTS from any
 * node that answers), a classic subscription on the first seed that answers, and the notice that
 * sharded channels are in use.
 *
 * Classic Pub/Sub is cluster-wide (every node forwards PUBLISH over the cluster bus), so one
 * connection to any node sees every PUBLISH; SPUBLISH stays inside the shard that owns the
 * channel's slot, so it needs SSUBSCRIBE on that shard (ShardSubscriber.ts).
 */
import { ClusterTopology } from './ClusterTopology.js';
import { atAddress, describeTarget, type Address, type ClusterOptions, type ConnectionOptions } from './connection.js';
import { ConnectionError, explainError } from './ConnectionError.js';
import { openSession, type Session } from './session.js';
import { openSubscriber, type SubscribeOptions, type Subscriber, type SubscriberStatus } from './subscriber.js';

/** Failures after which another node may do better; anything else (a wrong password) would fail there too. */
const TRY_NEXT: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNLOST', 'EPROTO']);

/** How many shard channels the notice names before "…". */
const NOTICE_NAMES = 5;

/**
 * CLUSTER SLOTS from the first of `nodes` that answers.
 *
 * @throws ConnectionError: the first node's authentication or permission error (NOPERM names the
 *   `cluster|slots` rule to allow), `EREDIS` when the node is not in cluster mode, or, when no
 *   node answers, every node's reason.
 */
export async function fetchTopology(opts: ConnectionOptions, nodes: readonly Address[], signal?: AbortSignal): Promise<ClusterTopology> {
  const reasons: string[] = [];
  let code: ConnectionError['code'] = 'ECONNREFUSED';
  for (const node of nodes) {
    let session: Session | undefined;
    try {
      session = await openSession(atAddress(opts, node), signal ? { signal } : {});
      return ClusterTopology.fromSlots(await session.client.call('CLUSTER', 'SLOTS'), node);
    } catch (error) {
      signal?.throwIfAborted();
      const target = describeTarget(node);
      const explained = explainError(error, opts.connectTimeoutMs);
      if (/cluster support disabled/i.test(explained.reason)) {
        throw new ConnectionError('EREDIS', target, `cannot use ${target} as a cluster node: it runs without cluster support (drop --cluster)`, { cause: error });
      }
      if (explained.code === 'NOPERM') {
        throw new ConnectionError('NOPERM', target, `cannot read the cluster topology from ${target}: ${explained.reason}; allow it with ACL SETUSER ${opts.username ?? 'default'} +cluster|slots`, { cause: error });
      }
      if (!TRY_NEXT.has(explained.code)) throw error instanceof ConnectionError ? error : new ConnectionError(explained.code, target, `cannot connect to ${target}: ${explained.reason}`, { cause: error });
      code = explained.code;
      reasons.push(error instanceof ConnectionError ? error.message : `${target}: ${explained.reason}`);
    } finally {
      await session?.close();
    }
  }
  const target = `cluster ${nodes.map(describeTarget).join(', ')}`;
  throw new ConnectionError(code, target, `cannot reach the ${target}: ${reasons.join('; ')}`);
}

/**
 * A classic subscription on the first seed that accepts it; its reconnects go round all the seeds, starting
 * with that one (classic Pub/Sub is cluster-wide, so any node will do).
 *
 * @throws ConnectionError from the last seed tried, or the first error no other node can fix.
 */
export async function subscribeOnAnySeed(opts: ClusterOptions, request: SubscribeOptions, signal?: AbortSignal): Promise<Subscriber> {
  let last: unknown;
  const seeds = opts.cluster.seeds;
  for (const [i, seed] of seeds.entries()) {
    const fallbacks = [...seeds.slice(i + 1), ...seeds.slice(0, i)].map((other) => atAddress(opts, other));
    try {
      return await openSubscriber(atAddress(opts, seed), { ...request, fallbacks }, signal);
    } catch (error) {
      if (!(error instanceof ConnectionError) || !TRY_NEXT.has(error.code)) throw error;
      last = error;
    }
  }
  throw last;
}

/**
 * Tells `onStatus` once (a `warning`) when a master of the cluster has active shard channels,
 * which a classic subscriber never sees. Best effort: any failure just means no notice.
 */
export async function noticeShardChannels(opts: ClusterOptions, target: string, onStatus: (status: SubscriberStatus) => void, signal?: AbortSignal): Promise<void> {
  try {
    const topology = await fetchTopology(opts, opts.cluster.seeds, signal);
    const names = new Set<string>();
    for (const master of topology.masters) {
      const session = await openSession(atAddress(opts, master), signal ? { signal } : {});
      try {
        const reply = await session.client.call('PUBSUB', 'SHARDCHANNELS');
        if (Array.isArray(reply)) for (const name of reply) names.add(String(name));
      } finally {
        await session.close();
      }
    }
    if (names.size === 0 || signal?.aborted === true) return;
    const shown = [...names].sort().slice(0, NOTICE_NAMES).join(', ') + (names.size > NOTICE_NAMES ? ', …' : '');
    const count = names.size === 1 ? '1 shard channel is' : `${names.size} shard channels are`;
    onStatus({
      type: 'warning',
      target,
      message: `${count} in use on this cluster (${shown}) and not shown: SPUBLISH reaches only SSUBSCRIBE; watch them with --shard-channel NAME`,
    });
  } catch {
    // no notice
  }
}
