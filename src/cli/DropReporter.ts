import type { Writable } from 'node:stream';
import { plural } from '../render/streamMarkers.js';
import { clock } from '../render/view.js';

/**
 * Tells stderr about dropped messages while it happens, not when the slow output gets round to it:
 * the first drop at once, then at most one line per `intervalMs` for the drops since the last line.
 * (The stream itself gets a `drop` record where the messages are missing; this is the live alarm.)
 */
export class DropReporter {
  private total = 0;
  private reported = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stderr: Writable,
    private readonly intervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** For the subscriber's `queue.onDrop`: called after each drop with the running total. */
  readonly onDrop = (total: number): void => {
    this.total = total;
    if (this.timer !== undefined) return;
    this.report();
    this.arm();
  };

  /** Stops the timer; with `final`, first reports drops not reported yet. */
  dispose(final: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (final && this.total > this.reported) this.report();
  }

  private arm(): void {
    // unref: a pending report must not keep a finished process alive.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.total === this.reported) return;
      this.report();
      this.arm();
    }, this.intervalMs).unref();
  }

  private report(): void {
    const count = this.total - this.reported;
    this.reported = this.total;
    this.stderr.write(
      `redis-print: output too slow at ${clock(new Date(this.now()))}: ${plural(count, 'message')} dropped, oldest first (${this.total} in all; --buffer sets how many may wait)\n`,
    );
  }
}
