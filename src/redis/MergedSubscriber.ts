/**
 * Several subscribers seen as one: a classic subscription and a sharded one, each with its own
 * connections, read into a single queue in arrival order.
 *
 * The parts are opened with unbounded queues and drained at once; the merged queue is the one
 * that is bounded and drops, so `dropped`/`queued` and the `drop` markers mean what they mean for
 * a single subscriber. The first part to fail fails the whole (after what was queued), and stops
 * the others.
 */
import { itemQueue } from './itemQueue.js';
import type { MessageQueue } from './MessageQueue.js';
import { QueuedSubscriber } from './QueuedSubscriber.js';
import type { SubscribeOptions, Subscriber, SubscriberItem } from './subscriber.js';

export class MergedSubscriber extends QueuedSubscriber {
  protected readonly queue: MessageQueue<SubscriberItem>;
  private running: number;

  constructor(
    readonly target: string,
    private readonly parts: readonly Subscriber[],
    queue: SubscribeOptions['queue'],
  ) {
    super();
    this.queue = itemQueue(queue);
    this.running = parts.length;
    for (const part of parts) void this.drain(part);
  }

  /**
   * Reads `part` without `for await`, whose early exit would close the part; what is already queued is
   * taken synchronously (a promise per message costs more than the message).
   */
  private async drain(part: Subscriber): Promise<void> {
    const items = part[Symbol.asyncIterator]();
    try {
      for (;;) {
        let item = part.poll();
        if (item === undefined) {
          const { value, done } = await items.next();
          if (done) break;
          item = value;
        }
        this.queue.push(item);
      }
    } catch (error) {
      this.queue.fail(error);
      void this.stop();
      return;
    }
    if (--this.running === 0) this.queue.end();
  }

  protected async shutdown(): Promise<void> {
    await Promise.all(this.parts.map((part) => part.stop()));
  }

  override close(): Promise<void> {
    this.queue.clear();
    return Promise.all([this.stop(), ...this.parts.map((part) => part.close())]).then(() => {});
  }
}
