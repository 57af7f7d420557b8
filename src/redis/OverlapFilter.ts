/**
 * One PUBLISH, one message — even when it matches several of our subscriptions.
 *
 * Redis sends a client one delivery per matching subscription: a `message` for a SUBSCRIBEd channel,
 * then one `pmessage` per matching pattern (in the hash order of the server's pattern dict, not in
 * subscription order). Watching `-p 'chat:*' -c chat:lobby` would print every lobby message twice.
 *
 * Why grouping by content is exact here: Redis writes all deliveries of one PUBLISH to a client's
 * output buffer before it runs the next command, so they arrive back to back. A delivery is a sibling
 * of the previous one iff it has the same channel and payload bytes and comes through a subscription
 * that has not delivered in the current group yet. A second, identical PUBLISH starts with a
 * subscription that has already delivered, so it starts a new group and is kept.
 *
 * If Redis ever interleaved deliveries, the filter errs towards showing a duplicate, never towards
 * hiding a message.
 */
export class OverlapFilter {
  private channel: Buffer | undefined;
  private payload: Buffer | undefined;
  private readonly seen = new Set<string | undefined>();

  /**
   * True when this delivery is the first of its PUBLISH (keep it), false for a sibling (drop it).
   * `via` names the subscription: the pattern, or undefined for a SUBSCRIBE message.
   */
  admit(channel: Buffer, via: string | undefined, payload: Buffer): boolean {
    if (
      this.channel !== undefined &&
      this.payload !== undefined &&
      !this.seen.has(via) &&
      channel.equals(this.channel) &&
      payload.equals(this.payload)
    ) {
      this.seen.add(via);
      return false;
    }
    this.channel = channel;
    this.payload = payload;
    this.seen.clear();
    this.seen.add(via);
    return true;
  }

  /** Forget the current group, e.g. after a reconnect. */
  reset(): void {
    this.channel = undefined;
    this.payload = undefined;
    this.seen.clear();
  }
}
