import type { Writable } from 'node:stream';

/**
 * Text on its way to stdout: gathered into chunks (one `write` per chunk, not per message) and
 * written at most one chunk ahead of the stream's 'drain', so Node never buffers more than that for
 * a slow reader; everything else waits, bounded, in the subscriber's queue.
 *
 * Also the one place that notices the reader going away: an 'error' (EPIPE from `| head`) or a
 * 'close' makes it `gone`, calls `onGone` once, and from then on text is discarded.
 */
export class BatchedOutput {
  private pending: string[] = [];
  private pendingLength = 0;
  private failure: Error | undefined;
  private closed = false;
  private cut = false;
  private notified = false;
  /** Resolves when the last chunk handed to the stream has been flushed to the OS (or failed). */
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<() => void>();
  private readonly onError = (error: Error): void => this.lose(error);
  private readonly onClose = (): void => this.lose(undefined);

  constructor(
    private readonly stream: Writable,
    /** Chunk size, in UTF-16 units (close enough to bytes for a threshold). */
    readonly chunkSize: number,
    private readonly onGone: () => void = () => {},
  ) {
    stream.on('error', this.onError);
    stream.on('close', this.onClose);
  }

  /** Characters gathered and not yet handed to the stream. */
  get size(): number {
    return this.pendingLength;
  }

  /** The reader went away, or writing failed; see `error`. */
  get gone(): boolean {
    return this.failure !== undefined || this.closed || this.stream.destroyed;
  }

  /** Why writing failed (EPIPE when the reader closed the pipe), if it did. */
  get error(): (Error & { code?: string }) | undefined {
    return this.failure;
  }

  add(text: string): void {
    if (this.gone || this.cut) return;
    this.pending.push(text);
    this.pendingLength += text.length;
  }

  /** Hands what is gathered to the stream; resolves once it will take more ('drain'), or it is gone, or `cutOff()`. */
  async flush(): Promise<void> {
    if (this.pendingLength === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (this.gone || this.cut) return;
    let ok = true;
    this.lastWrite = new Promise((resolve) => {
      ok = this.stream.write(chunk, () => resolve());
    });
    if (!ok) await this.until('drain');
  }

  /** `flush()`, then waits until everything written has reached the OS (or it is gone, or `cutOff()`). */
  async finish(): Promise<void> {
    await this.flush();
    if (this.gone || this.cut) return;
    await Promise.race([this.lastWrite, this.until(undefined)]);
  }

  /** Stop waiting for the reader: pending and later text is discarded, waits resolve now. */
  cutOff(): void {
    this.cut = true;
    this.pending = [];
    this.pendingLength = 0;
    this.settle();
  }

  /** Removes the listeners from the stream. */
  dispose(): void {
    this.stream.off('error', this.onError);
    this.stream.off('close', this.onClose);
    this.settle();
  }

  /** Resolves on `event` (if any), or when the stream is gone, or on `cutOff()`. */
  private until(event: 'drain' | undefined): Promise<void> {
    if (this.gone || this.cut) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if (event) this.stream.off(event, done);
        this.waiters.delete(done);
        resolve();
      };
      if (event) this.stream.on(event, done);
      this.waiters.add(done);
    });
  }

  private lose(error: Error | undefined): void {
    if (error) this.failure ??= error;
    else this.closed = true;
    this.pending = [];
    this.pendingLength = 0;
    this.settle();
    if (this.notified) return;
    this.notified = true;
    this.onGone();
  }

  private settle(): void {
    for (const done of [...this.waiters]) done();
  }
}
