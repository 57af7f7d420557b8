/**
 * Which subscriber a deployment and a request need:
 * - channels and patterns on a standalone server or a Sentinel master: one connection
 *   (subscriber.ts);
 * - on a cluster: the same, on the first seed that answers (classic Pub/Sub is cluster-wide), plus
 *   a one-time notice when shard channels are in use that it cannot see;
 * - shard channels (any deployment): a ShardSubscriber, merged with the classic one when channels
 *   or patterns are asked for too.
 */
import { noticeShardChannels, subscribeOnAnySeed } from './cluster.js';
import { describeTarget, type ConnectionOptions } from './connection.js';
import { UNBOUNDED } from './itemQueue.js';
import { MergedSubscriber } from './MergedSubscriber.js';
import { openShardSubscriber } from './ShardSubscriber.js';
import { openSubscriber as openOneConnection, type SubscribeOptions, type Subscriber, type SubscriberStatus } from './subscriber.js';

/**
 * Connects, authenticates, subscribes, and resolves once Redis has acknowledged every channel,
 * pattern and shard channel; see subscriber.ts for the iteration, statuses and `signal`.
 *
 * @throws ConnectionError as `openSubscriber` in subscriber.ts, and as `openShardSubscriber`.
 * @throws RangeError when the request names no channel, pattern or shard channel.
 */
export async function openSubscriber(opts: ConnectionOptions, request: SubscribeOptions, signal?: AbortSignal): Promise<Subscriber> {
  const shardChannels = request.shardChannels ?? [];
  const classic = request.channels.length > 0 || request.patterns.length > 0;
  if (shardChannels.length === 0) {
    if (opts.mode !== 'cluster') return openOneConnection(opts, request, signal);
    const sub = await subscribeOnAnySeed(opts, request, signal);
    if (request.onStatus) void noticeShardChannels(opts, sub.target, request.onStatus, signal);
    return sub;
  }
  const reconnect = {
    ...(request.reconnect === undefined ? {} : { reconnect: request.reconnect }),
    ...(request.keepAliveMs === undefined ? {} : { keepAliveMs: request.keepAliveMs }),
  };
  if (!classic) {
    return openShardSubscriber(opts, { shardChannels, ...reconnect, ...pick(request, 'onStatus'), ...pick(request, 'queue') }, signal);
  }

  // Both kinds: each part reports its progress, and the whole says "subscribed" once, for all.
  const { onStatus } = request;
  const relay = onStatus ? { onStatus: (s: SubscriberStatus) => void (s.type === 'subscribed' ? undefined : onStatus(s)) } : {};
  const parts: Subscriber[] = [];
  try {
    const classicRequest: SubscribeOptions = { ...request, shardChannels: [], ...relay, queue: UNBOUNDED };
    parts.push(opts.mode === 'cluster' ? await subscribeOnAnySeed(opts, classicRequest, signal) : await openOneConnection(opts, classicRequest, signal));
    parts.push(await openShardSubscriber(opts, { shardChannels, ...reconnect, ...relay, queue: UNBOUNDED }, signal));
  } catch (error) {
    await Promise.all(parts.map((part) => part.close()));
    throw error;
  }
  const target = describeTarget(opts);
  onStatus?.({ type: 'subscribed', target, channels: request.channels, patterns: request.patterns, exact: request.exact, shardChannels });
  return new MergedSubscriber(target, parts, request.queue);
}

/** `{ [key]: value }` when set, `{}` when not: optional properties stay absent under exactOptionalPropertyTypes. */
function pick<K extends 'onStatus' | 'queue'>(request: SubscribeOptions, key: K): Partial<Pick<SubscribeOptions, K>> {
  return request[key] === undefined ? {} : ({ [key]: request[key] } as Partial<Pick<SubscribeOptions, K>>);
}
