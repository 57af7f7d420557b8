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
import type { SubscribeOptions, Subscriber, SubscriberItem } from './subscriber.js';

export class MergedSubscriber implements Subscriber {
  private readonly queue: MessageQueue<SubscriberItem>;
  private running: number;
  private closing: Promise<void> | undefined;

  constructor(
    readonly target: string,
    private readonly parts: readonly Subscriber[],
    queue: SubscribeOptions['queue'],
  ) {
    this.queue = itemQueue(queue);
    this.running = parts.length;
    for (const part of parts) void this.drain(part);
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  get queued(): number {
    return this.queue.size;
  }

  /** Reads `part` without `for await`, whose early exit would close the part. */
  private async drain(part: Subscriber): Promise<void> {
    const items = part[Symbol.asyncIterator]();
    try {
      for (;;) {
        const { value, done } = await items.next();
        if (done) break;
        this.queue.push(value);
      }
    } catch (error) {
      this.queue.fail(error);
      void this.stop();
      return;
    }
    if (--this.running === 0) this.queue.end();
  }

  stop(): Promise<void> {
    this.closing ??= Promise.all(this.parts.map((part) => part.stop())).then(() => {});
    return this.closing;
  }

  close(): Promise<void> {
    this.queue.clear();
    return Promise.all([this.stop(), ...this.parts.map((part) => part.close())]).then(() => {});
  }

  poll(): SubscriberItem | undefined {
    return this.queue.poll();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriberItem> {
    return {
      next: () => this.queue.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }
}
