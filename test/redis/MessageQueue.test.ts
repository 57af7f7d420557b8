import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_LIMIT, MessageQueue } from '../../src/redis/index.js';

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
  });
});
