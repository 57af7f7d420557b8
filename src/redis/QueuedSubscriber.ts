import type { MessageQueue } from './MessageQueue.js';
import type { Subscriber, SubscriberItem } from './subscriber.js';

/**
 * What every subscriber shares: items flow through one bounded queue that the consumer reads (`poll`, the
 * async iterator), `stop()` runs the subclass's `shutdown()` once, `close()` also discards what is queued,
 * and `pause()` is a wait that `wake()` (called by shutdown) cuts short.
 */
export abstract class QueuedSubscriber implements Subscriber {
  abstract readonly target: string;
  protected abstract readonly queue: MessageQueue<SubscriberItem>;
  /** Cuts a `pause()` short. */
  protected wake: () => void = () => {};
  private closing: Promise<void> | undefined;

  /** Ends receiving; called once, by the first `stop()` or `close()`. */
  protected abstract shutdown(): Promise<void>;

  get dropped(): number {
    return this.queue.dropped;
  }

  get queued(): number {
    return this.queue.size;
  }

  poll(): SubscriberItem | undefined {
    return this.queue.poll();
  }

  stop(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  close(): Promise<void> {
    this.queue.clear();
    return this.stop();
  }

  /** A wait that `wake()` cuts short. Not unref'd: while reconnecting, it is what keeps the process alive. */
  protected pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = () => {};
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
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
