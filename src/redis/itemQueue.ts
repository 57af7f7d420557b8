/**
 * The queue between a subscriber's sockets and its consumer, configured for `SubscriberItem`s:
 * bounded by message count and payload bytes, markers (`gap`) never dropped, each run of drops
 * replaced by one `drop` item. One definition for every subscriber that owns a queue.
 */
import { DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_LIMIT, MessageQueue } from './MessageQueue.js';
import type { SubscribeOptions, SubscriberItem } from './subscriber.js';

/** @throws RangeError when a bound is not a positive integer or `Infinity`. */
export function itemQueue(options: SubscribeOptions['queue'] = {}): MessageQueue<SubscriberItem> {
  const { onDrop } = options;
  return new MessageQueue<SubscriberItem>({
    limit: options.limit ?? DEFAULT_QUEUE_LIMIT,
    maxBytes: options.maxBytes ?? DEFAULT_QUEUE_BYTES,
    sizeOf: (item) => (item.type === 'message' ? item.payload.byteLength : 0),
    timeOf: (item) => (item.type === 'message' ? item.receivedAt : Date.now()),
    keep: (item) => item.type !== 'message',
    marker: (run) => ({ type: 'drop', ...run }),
    ...(onDrop ? { onDrop: (total: number) => onDrop(total) } : {}),
  });
}

/** Bounds for a subscriber whose items are passed on at once to another queue that does the bounding. */
export const UNBOUNDED: NonNullable<SubscribeOptions['queue']> = Object.freeze({ limit: Infinity, maxBytes: Infinity });
