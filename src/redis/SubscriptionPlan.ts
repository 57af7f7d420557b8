/**
 * What to send to Redis for a request, and how to read a delivery back as the user's words.
 *
 * Observer safety: SUBSCRIBE adds the watcher to `PUBSUB NUMSUB <channel>`, which Socket.IO and
 * Soketi read as "number of servers" — a watcher that SUBSCRIBEs makes their requests wait for a
 * reply that never comes. PSUBSCRIBE leaves NUMSUB alone, so by default an exact channel is watched
 * through a pattern that matches only itself (its glob metacharacters escaped). Only `exact: true`
 * uses SUBSCRIBE.
 */

export interface SubscribeRequest {
  /** Channel names, matched exactly. */
  readonly channels: readonly string[];
  /** Redis glob patterns (`*`, `?`, `[...]`, `\` escapes), passed to PSUBSCRIBE as given. */
  readonly patterns: readonly string[];
  /** SUBSCRIBE to `channels` instead of PSUBSCRIBE to their escaped form (visible in NUMSUB). */
  readonly exact: boolean;
  /**
   * Sharded channels (SSUBSCRIBE, Redis 7), each watched on the master that owns its slot; not
   * part of this plan, which covers `channels` and `patterns` only (see deployment.ts, ShardSubscriber.ts).
   */
  readonly shardChannels?: readonly string[];
}

/** Backslash before each of `* ? [ ] \`: Redis's glob matcher then matches the name byte for byte. */
export function escapeGlob(channel: string): string {
  return channel.replace(/[*?[\]\\]/g, '\\$&');
}

export class SubscriptionPlan {
  /** Arguments for PSUBSCRIBE: user patterns, then escaped exact channels (without `exact`); no repeats. */
  readonly psubscribe: readonly string[];
  /** Arguments for SUBSCRIBE: the exact channels when `exact` is set; no repeats. */
  readonly subscribe: readonly string[];
  private readonly userPatterns: ReadonlySet<string>;
  /** Exact channel names as their UTF-8 bytes read as latin1: a byte-exact Set key for a Buffer. */
  private readonly exactKeys: ReadonlySet<string>;

  /** @throws RangeError when the request names no channel and no pattern. */
  constructor(readonly request: SubscribeRequest) {
    if (request.channels.length === 0 && request.patterns.length === 0) {
      throw new RangeError('nothing to subscribe to: give at least one channel or pattern');
    }
    const channels = [...new Set(request.channels)];
    this.userPatterns = new Set(request.patterns);
    this.exactKeys = new Set(channels.map((channel) => Buffer.from(channel, 'utf8').toString('latin1')));
    this.subscribe = request.exact ? channels : [];
    this.psubscribe = [...new Set([...request.patterns, ...(request.exact ? [] : channels.map(escapeGlob))])];
  }

  /** How many subscriptions Redis holds for us; above one, a PUBLISH can reach us more than once. */
  get size(): number {
    return this.psubscribe.length + this.subscribe.length;
  }

  /**
   * The user pattern to report for a delivery on `channel` that came through `via` (the PSUBSCRIBE
   * pattern, or undefined for a SUBSCRIBE message), or undefined to report it as an exact-channel
   * message. An exact channel wins over a user pattern that also matches it, so the attribution does
   * not depend on which of the deliveries Redis sent first (see OverlapFilter).
   */
  patternFor(channel: Buffer, via: string | undefined): string | undefined {
    if (via === undefined) return undefined;
    if (this.exactKeys.size > 0 && this.exactKeys.has(channel.toString('latin1'))) return undefined;
    return this.userPatterns.has(via) ? via : undefined;
  }
}
