/**
 * A bounded FIFO between a producer that must never block (the socket) and one async consumer
 * (the printer). When the consumer falls behind by `limit` items or `maxBytes` bytes, the oldest
 * items are dropped and counted: a live monitor should show what is happening now, and say how much
 * it skipped. With `marker`, the consumer also learns *where*: each run of dropped items is replaced
 * by one marker item, yielded between the last item it got before the drop and the first after.
 *
 * Why oldest first: the newest items are what someone watching live wants, and dropping at the head
 * keeps every item the consumer does get contiguous with what comes after it. (Dropping the newest
 * would freeze the view on the past while the present is thrown away.)
 *
 * Knows nothing about Redis, so it can move if another producer ever needs it.
 */

export const DEFAULT_QUEUE_LIMIT = 10_000;
/** 64 MiB of `sizeOf` (payload bytes, for the subscriber). */
export const DEFAULT_QUEUE_BYTES = 64 * 1024 * 1024;

/** One run of consecutive items dropped from the head, between two items the consumer got. */
export interface DropRun {
  readonly count: number;
  /** Sum of `sizeOf` over the dropped items. */
  readonly bytes: number;
  /** `timeOf` of the first and the last dropped item. */
  readonly from: number;
  readonly to: number;
  /** Items dropped since the queue was created, this run included. */
  readonly total: number;
}

export interface MessageQueueOptions<T = unknown> {
  /** Most items held at once; a positive integer or `Infinity`. Default 10 000. */
  limit?: number;
  /** Most bytes (sum of `sizeOf`) held at once; a positive integer or `Infinity`. Default 64 MiB. */
  maxBytes?: number;
  /** An item's weight for `maxBytes`. Default 0 (only `limit` applies). */
  sizeOf?: (item: T) => number;
  /** When an item arrived, for `DropRun.from`/`to`. Default: when it was dropped. */
  timeOf?: (item: T) => number;
  /**
   * Items for which this is true are never dropped (markers the producer puts in the stream, such as
   * "the connection was lost here"). One that reaches the head of a full queue is set aside, in
   * order, with the run of drops before it.
   */
  keep?: (item: T) => boolean;
  /** Builds the item yielded in place of a run of dropped items; without it, drops are silent. */
  marker?: (run: DropRun) => T;
  /** Called after each drop with the running total and the item, e.g. to report "dropped N messages". */
  onDrop?: (dropped: number, item: T) => void;
}

interface OpenRun {
  count: number;
  bytes: number;
  from: number;
  to: number;
}

export class MessageQueue<T> implements AsyncIterator<T> {
  readonly limit: number;
  readonly maxBytes: number;
  private readonly options: MessageQueueOptions<T>;
  private items: T[] = [];
  /** Index of the oldest item in `items`; the array is compacted lazily so shift stays O(1). */
  private head = 0;
  private heldBytes = 0;
  /** Markers and closed drop runs that come before `items`, oldest first (few: one per kept item). */
  private preface: T[] = [];
  /** Drops since the consumer last took something; yielded (as a marker) before `items`. */
  private run: OpenRun | undefined;
  private droppedCount = 0;
  private finished = false;
  private failure: { error: unknown } | undefined;
  private waiter: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | undefined;

  /** @throws RangeError when `limit` or `maxBytes` is not a positive integer or `Infinity`. */
  constructor(options: MessageQueueOptions<T> = {}) {
    this.limit = bound(options.limit ?? DEFAULT_QUEUE_LIMIT, 'queue limit');
    this.maxBytes = bound(options.maxBytes ?? DEFAULT_QUEUE_BYTES, 'queue byte limit');
    this.options = options;
  }

  /** Items waiting to be consumed (a pending drop marker counts as one). */
  get size(): number {
    return this.preface.length + (this.run && this.options.marker ? 1 : 0) + this.items.length - this.head;
  }

  /** Sum of `sizeOf` over the items held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Items dropped so far because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** True once `end` or `fail` was called; later pushes are ignored. */
  get isFinished(): boolean {
    return this.finished;
  }

  /**
   * Hands the item to a waiting consumer, or queues it, first dropping the oldest items until it
   * fits. An item bigger than `maxBytes` on its own is still kept (it is already in memory), so the
   * bound is `maxBytes` plus one item.
   */
  push(item: T): void {
    if (this.finished) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ value: item, done: false });
      return;
    }
    const size = this.options.sizeOf?.(item) ?? 0;
    while (this.held > 0 && (this.held >= this.limit || this.heldBytes + size > this.maxBytes)) this.dropOldest();
    this.items.push(item);
    this.heldBytes += size;
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
    this.heldBytes = 0;
    this.preface = [];
    this.run = undefined;
    this.end();
  }

  /**
   * The next item when one is already here, without waiting (a busy consumer takes items this way and saves
   * a promise per message); `undefined` when `next()` would have to wait, or the queue ended or failed.
   */
  poll(): T | undefined {
    if (this.preface.length > 0) return this.preface.shift() as T;
    const marker = this.closeRun();
    if (marker !== undefined) return marker;
    if (this.held > 0) return this.take();
    return undefined;
  }

  next(): Promise<IteratorResult<T>> {
    const ready = this.poll();
    if (ready !== undefined) return Promise.resolve({ value: ready, done: false });
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

  /** Items in `items` (not the preface). */
  private get held(): number {
    return this.items.length - this.head;
  }

  private dropOldest(): void {
    const { keep, timeOf, sizeOf, onDrop } = this.options;
    const item = this.take();
    if (keep?.(item)) {
      // A marker must come out after the drops before it and before the drops after it.
      const marker = this.closeRun();
      if (marker !== undefined) this.preface.push(marker);
      this.preface.push(item);
      return;
    }
    const at = timeOf?.(item) ?? Date.now();
    const size = sizeOf?.(item) ?? 0;
    if (this.run) {
      this.run.count++;
      this.run.bytes += size;
      this.run.to = at;
    } else {
      this.run = { count: 1, bytes: size, from: at, to: at };
    }
    this.droppedCount++;
    onDrop?.(this.droppedCount, item);
  }

  /** The marker for the drops since the consumer last took something, if any (and if markers are on). */
  private closeRun(): T | undefined {
    const run = this.run;
    if (run === undefined) return undefined;
    this.run = undefined;
    return this.options.marker?.({ ...run, total: this.droppedCount });
  }

  private take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T; // let the payload be collected
    this.head++;
    this.heldBytes -= this.options.sizeOf?.(item) ?? 0;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
      this.heldBytes = 0; // no drift from floating sizes
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

function bound(value: number, what: string): number {
  if (!(value === Infinity || (Number.isSafeInteger(value) && value > 0))) {
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
  }
  return value;
}
