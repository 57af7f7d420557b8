/**
 * A bounded FIFO between a producer that must never block (the socket) and one async consumer
 * (the printer). When the consumer falls behind by `limit` items, the oldest item is dropped and
 * counted: a live monitor should show what is happening now, and say how much it skipped.
 *
 * Knows nothing about Redis, so it can move if another producer ever needs it.
 */

export const DEFAULT_QUEUE_LIMIT = 10_000;

export interface MessageQueueOptions {
  /** Most items held at once; a positive integer or `Infinity`. Default 10 000. */
  limit?: number;
  /** Called after each drop with the running total, e.g. to report "dropped N messages". */
  onDrop?: (dropped: number) => void;
}

export class MessageQueue<T> implements AsyncIterator<T> {
  readonly limit: number;
  private readonly onDrop: ((dropped: number) => void) | undefined;
  private items: T[] = [];
  /** Index of the oldest item in `items`; the array is compacted lazily so shift stays O(1). */
  private head = 0;
  private droppedCount = 0;
  private finished = false;
  private failure: { error: unknown } | undefined;
  private waiter: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | undefined;

  /** @throws RangeError when `limit` is not a positive integer or `Infinity`. */
  constructor(options: MessageQueueOptions = {}) {
    const limit = options.limit ?? DEFAULT_QUEUE_LIMIT;
    if (!(limit === Infinity || (Number.isSafeInteger(limit) && limit > 0))) {
      throw new RangeError(`queue limit must be a positive integer, got ${limit}`);
    }
    this.limit = limit;
    this.onDrop = options.onDrop;
  }

  /** Items waiting to be consumed. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Items dropped so far because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** True once `end` or `fail` was called; later pushes are ignored. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Hands the item to a waiting consumer, or queues it, dropping the oldest when full. */
  push(item: T): void {
    if (this.finished) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ value: item, done: false });
      return;
    }
    if (this.size >= this.limit) {
      this.take();
      this.droppedCount++;
      this.onDrop?.(this.droppedCount);
    }
    this.items.push(item);
  }

  /** No more items: the consumer still gets what is queued, then `done`. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.settleWaiter();
  }

  /** No more items: the consumer still gets what is queued, then `next()` rejects with `error`. */
  fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = { error };
    this.settleWaiter();
  }

  /** Ends the queue now, discarding what is queued (those are not counted as dropped). */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) return Promise.resolve({ value: this.take(), done: false });
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined; // reject once, then behave as ended
      return Promise.reject(error);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter) return Promise.reject(new Error('MessageQueue supports one pending next() at a time'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T; // let the payload be collected
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private settleWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return; // a waiter exists only while the queue is empty
    this.waiter = undefined;
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      waiter.reject(error);
    } else {
      waiter.resolve({ value: undefined, done: true });
    }
  }
}
