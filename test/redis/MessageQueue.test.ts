import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_LIMIT, MessageQueue, type DropRun } from '../../src/redis/index.js';

async function drain<T>(queue: MessageQueue<T>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const result = await queue.next();
    if (result.done) return items;
    items.push(result.value);
  }
}

describe('MessageQueue', () => {
  it('holds 10 000 items by default', () => {
    expect(new MessageQueue().limit).toBe(DEFAULT_QUEUE_LIMIT);
    expect(DEFAULT_QUEUE_LIMIT).toBe(10_000);
  });

  it('is first in, first out', async () => {
    const queue = new MessageQueue<number>();
    for (let i = 0; i < 5; i++) queue.push(i);
    queue.end();
    expect(await drain(queue)).toEqual([0, 1, 2, 3, 4]);
  });

  it('drops the oldest items beyond its limit and counts them', async () => {
    const drops: number[] = [];
    const queue = new MessageQueue<number>({ limit: 3, onDrop: (n) => drops.push(n) });
    for (let i = 0; i < 8; i++) queue.push(i);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(5);
    expect(drops).toEqual([1, 2, 3, 4, 5]);
    queue.end();
    expect(await drain(queue)).toEqual([5, 6, 7]);
    expect(queue.dropped).toBe(5);
  });

  it('stays within its limit over many wrap-arounds', async () => {
    const queue = new MessageQueue<number>({ limit: 100 });
    let largest = 0;
    for (let i = 0; i < 50_000; i++) {
      queue.push(i);
      if (i % 3 === 0) await queue.next();
      largest = Math.max(largest, queue.size);
    }
    expect(largest).toBe(100);
    queue.end();
    const rest = await drain(queue);
    expect(rest).toHaveLength(100);
    expect(rest.at(-1)).toBe(49_999);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
  });

  it('never drops when the consumer keeps up', async () => {
    const queue = new MessageQueue<number>({ limit: 1 });
    const received: number[] = [];
    for (let i = 0; i < 100; i++) {
      const next = queue.next();
      queue.push(i);
      const result = await next;
      if (!result.done) received.push(result.value);
    }
    expect(received).toHaveLength(100);
    expect(queue.dropped).toBe(0);
  });

  it('hands an item to a consumer that is already waiting', async () => {
    const queue = new MessageQueue<string>();
    const pending = queue.next();
    queue.push('x');
    expect(await pending).toEqual({ value: 'x', done: false });
  });

  it('delivers what is queued before it ends, and ignores later pushes', async () => {
    const queue = new MessageQueue<number>();
    queue.push(1);
    queue.end();
    queue.push(2);
    expect(await drain(queue)).toEqual([1]);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('delivers what is queued before it fails, rejects once, then is done', async () => {
    const queue = new MessageQueue<number>();
    const boom = new Error('lost');
    queue.push(1);
    queue.fail(boom);
    expect(await queue.next()).toEqual({ value: 1, done: false });
    await expect(queue.next()).rejects.toBe(boom);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('wakes a waiting consumer on end and on fail', async () => {
    const ended = new MessageQueue<number>();
    const waitingForEnd = ended.next();
    ended.end();
    expect(await waitingForEnd).toEqual({ value: undefined, done: true });

    const failed = new MessageQueue<number>();
    const waitingForFailure = failed.next();
    failed.fail(new Error('lost'));
    await expect(waitingForFailure).rejects.toThrow('lost');
  });

  it('discards what is queued on clear, without counting it as dropped', async () => {
    const queue = new MessageQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('refuses two pending reads', async () => {
    const queue = new MessageQueue<number>();
    void queue.next();
    await expect(queue.next()).rejects.toThrow('one pending next()');
  });

  it('rejects limits that are not positive integers', () => {
    for (const limit of [0, -1, 1.5, NaN]) expect(() => new MessageQueue({ limit })).toThrow(RangeError);
    expect(new MessageQueue({ limit: Infinity }).limit).toBe(Infinity);
    for (const maxBytes of [0, -1, 1.5]) expect(() => new MessageQueue({ maxBytes })).toThrow(RangeError);
  });
});

// Items as the subscriber has them: messages with a size and a time, and markers it must never lose.
type Item = { kind: 'm'; n: number; size: number; at: number } | { kind: 'gap'; n: number } | ({ kind: 'drop' } & DropRun);
const m = (n: number, size = 10): Item => ({ kind: 'm', n, size, at: 1000 + n });
const label = (i: Item): string => (i.kind === 'm' ? String(i.n) : i.kind === 'gap' ? `gap${i.n}` : `drop${i.count}(${i.from}-${i.to})`);

function markedQueue(options: { limit?: number; maxBytes?: number } = {}): MessageQueue<Item> {
  return new MessageQueue<Item>({
    ...options,
    sizeOf: (i) => (i.kind === 'm' ? i.size : 0),
    timeOf: (i) => (i.kind === 'm' ? i.at : 0),
    keep: (i) => i.kind !== 'm',
    marker: (run) => ({ kind: 'drop', ...run }),
  });
}

describe('MessageQueue: byte bound and drop markers', () => {
  it('holds 64 MiB by default', () => {
    expect(new MessageQueue().maxBytes).toBe(DEFAULT_QUEUE_BYTES);
    expect(DEFAULT_QUEUE_BYTES).toBe(64 * 1024 * 1024);
  });

  it('drops the oldest until the bytes fit, whichever bound comes first', async () => {
    const queue = markedQueue({ maxBytes: 25 });
    for (let i = 0; i < 5; i++) queue.push(m(i));
    expect(queue.bytes).toBe(20);
    expect(queue.dropped).toBe(3);
    queue.push(m(5, 24)); // needs both older ones gone
    expect(queue.dropped).toBe(5);
    queue.end();
    expect((await drain(queue)).map(label)).toEqual(['drop5(1000-1004)', '5']);
  });

  it('keeps a single item larger than the byte bound', async () => {
    const queue = markedQueue({ maxBytes: 5 });
    queue.push(m(0, 100));
    queue.end();
    expect((await drain(queue)).map(label)).toEqual(['0']);
    expect(queue.dropped).toBe(0);
  });

  it('yields one marker per run, where the run was, with the total so far', async () => {
    const queue = markedQueue({ limit: 2 });
    for (let i = 0; i < 4; i++) queue.push(m(i)); // drops 0, 1
    expect(queue.size).toBe(3); // the marker counts as waiting
    expect((await queue.next()).value).toMatchObject({ kind: 'drop', count: 2, bytes: 20, from: 1000, to: 1001, total: 2 });
    expect(label((await queue.next()).value as Item)).toBe('2');
    for (let i = 4; i < 7; i++) queue.push(m(i)); // holds 3; 4 fits; 5 and 6 push out 3 and 4
    queue.end();
    expect((await drain(queue)).map(label)).toEqual(['drop2(1003-1004)', '5', '6']);
    expect(queue.dropped).toBe(4);
  });

  it('never drops a kept marker: it comes out between the runs before and after it', async () => {
    const queue = markedQueue({ limit: 3 });
    queue.push(m(0));
    queue.push(m(1));
    queue.push({ kind: 'gap', n: 1 });
    for (let i = 2; i < 8; i++) queue.push(m(i));
    queue.end();
    expect((await drain(queue)).map(label)).toEqual(['drop2(1000-1001)', 'gap1', 'drop3(1002-1004)', '5', '6', '7']);
    expect(queue.dropped).toBe(5);
  });

  it('without a marker factory, drops stay silent', async () => {
    const queue = new MessageQueue<number>({ limit: 2 });
    for (let i = 0; i < 5; i++) queue.push(i);
    queue.end();
    expect(await drain(queue)).toEqual([3, 4]);
  });

  it('clear discards markers and runs too', async () => {
    const queue = markedQueue({ limit: 1 });
    queue.push(m(0));
    queue.push({ kind: 'gap', n: 1 });
    queue.push(m(1));
    queue.clear();
    expect(queue.size).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });
});
