import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectionOptions,
  ConnectionError,
  openSubscriber,
  type ConnectionOptions,
  type SubscribeOptions,
  type Subscriber,
  type SubscriberStatus,
} from '../../src/redis/index.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { eventually, nextItem, nextMessage, summary, take } from './messages.js';

let redis: RedisServer;
let conn: ConnectionOptions;
const open: Subscriber[] = [];

beforeAll(async () => {
  redis = await startRedis();
  conn = connectionOptions({ url: redis.url });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((sub) => sub.close()));
});

afterAll(async () => {
  await redis?.stop();
});

async function subscribe(request: Partial<SubscribeOptions>, signal?: AbortSignal): Promise<Subscriber> {
  const sub = await openSubscriber(conn, { channels: [], patterns: [], exact: false, ...request }, signal);
  open.push(sub);
  return sub;
}

async function numsub(channel: string): Promise<number> {
  const reply = await redis.command('PUBSUB', 'NUMSUB', channel);
  if (!Array.isArray(reply) || typeof reply[1] !== 'number') throw new Error(`NUMSUB replied ${String(reply)}`);
  return reply[1];
}

async function numpat(): Promise<number> {
  const reply = await redis.command('PUBSUB', 'NUMPAT');
  if (typeof reply !== 'number') throw new Error(`NUMPAT replied ${String(reply)}`);
  return reply;
}

describe('routing', () => {
  it('delivers exact-channel messages without a pattern', async () => {
    const sub = await subscribe({ channels: ['route:a', 'route:b'] });
    await redis.publish('route:a', 'one');
    await redis.publish('route:b', 'two');
    expect((await take(sub, 2)).map(summary)).toEqual([
      { channel: 'route:a', payload: 'one' },
      { channel: 'route:b', payload: 'two' },
    ]);
  });

  it('delivers pattern messages with the pattern that matched', async () => {
    const sub = await subscribe({ patterns: ['pat:*', 'other:?'] });
    await redis.publish('pat:x', '1');
    await redis.publish('other:y', '2');
    expect((await take(sub, 2)).map(summary)).toEqual([
      { channel: 'pat:x', pattern: 'pat:*', payload: '1' },
      { channel: 'other:y', pattern: 'other:?', payload: '2' },
    ]);
  });

  it('never yields messages on channels it did not ask for', async () => {
    const sub = await subscribe({ channels: ['only:this'], patterns: ['only:p:*'] });
    for (const channel of ['only:thi', 'only:this:no', 'ONLY:THIS', 'only:p', 'other', 'only:thisx']) {
      expect(await redis.publish(channel, 'unwanted')).toBe(0);
    }
    // Deliveries keep publish order, so anything unwanted would have arrived before this.
    await redis.publish('only:this', 'end');
    expect(summary(await nextMessage(sub))).toEqual({ channel: 'only:this', payload: 'end' });
    expect(sub.queued).toBe(0);
  });

  it('treats glob characters in an exact channel literally', async () => {
    const weird = 'glob*?[ab]\\x';
    const sub = await subscribe({ channels: [weird] });
    for (const channel of ['globZZa\\x', 'glob*?a\\x', 'glob*?[ab]x', 'glob', 'glob*?[ab]\\xy']) {
      expect(await redis.publish(channel, 'unwanted')).toBe(0);
    }
    await redis.publish(weird, 'wanted');
    expect(summary(await nextMessage(sub))).toEqual({ channel: weird, payload: 'wanted' });
    expect(sub.queued).toBe(0);
  });

  it('reports the status sequence', async () => {
    const statuses: SubscriberStatus[] = [];
    const sub = await subscribe({ channels: ['st:c'], patterns: ['st:*'], onStatus: (s) => statuses.push(s) });
    await sub.close();
    const target = `127.0.0.1:${redis.port}`;
    expect(statuses).toEqual([
      { type: 'connecting', target },
      { type: 'connected', target },
      { type: 'subscribed', target, channels: ['st:c'], patterns: ['st:*'], exact: false },
      { type: 'disconnected', target },
    ]);
  });
});

describe('overlapping subscriptions', () => {
  it('yields a PUBLISH that matches an exact channel and patterns once, as exact', async () => {
    const sub = await subscribe({ channels: ['ov:x'], patterns: ['ov:*', '*:x', 'o?:x'] });
    expect(await redis.publish('ov:x', 'once')).toBe(4); // Redis does deliver it four times
    await redis.publish('ov:y', 'pattern');
    expect((await take(sub, 2)).map(summary)).toEqual([
      { channel: 'ov:x', payload: 'once' },
      { channel: 'ov:y', pattern: 'ov:*', payload: 'pattern' },
    ]);
    expect(sub.queued).toBe(0);
  });

  it('keeps two identical PUBLISHes as two messages', async () => {
    const sub = await subscribe({ channels: ['twice:x'], patterns: ['twice:*', '*'] });
    for (let i = 0; i < 3; i++) await redis.publish('twice:x', 'same');
    await redis.publish('twice:end', 'end');
    const messages = await take(sub, 4);
    expect(messages.map((m) => m.payload.toString())).toEqual(['same', 'same', 'same', 'end']);
    expect(messages[3]?.pattern).toMatch(/^(twice:\*|\*)$/);
    expect(sub.queued).toBe(0);
  });

  it('collapses a SUBSCRIBE message and a pattern match in exact mode', async () => {
    const sub = await subscribe({ channels: ['ex:x'], patterns: ['ex:*'], exact: true });
    expect(await redis.publish('ex:x', 'one')).toBe(2);
    await redis.publish('ex:x', 'two');
    expect((await take(sub, 2)).map(summary)).toEqual([
      { channel: 'ex:x', payload: 'one' },
      { channel: 'ex:x', payload: 'two' },
    ]);
    expect(sub.queued).toBe(0);
  });
});

describe('payload bytes', () => {
  it('passes all 256 byte values through unchanged', async () => {
    const sub = await subscribe({ channels: ['bytes'] });
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await redis.publish('bytes', all);
    expect((await nextMessage(sub)).payload.equals(all)).toBe(true);
  });

  it('passes invalid UTF-8 through unchanged', async () => {
    const sub = await subscribe({ patterns: ['utf8:*'] });
    const samples = [
      [0xff, 0xfe, 0xfd], // never valid
      [0x80], // lone continuation byte
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // UTF-16 surrogate half
      [0xe2, 0x82], // truncated '€'
      [0x83, 0x68, 0x00, 0x0d, 0x0a, 0x2a], // ETF-like bytes with NUL, CRLF and '*'
    ].map((bytes) => Buffer.from(bytes));
    for (const sample of samples) await redis.publish('utf8:x', sample);
    const received = await take(sub, samples.length);
    expect(received.map((m) => m.payload.toString('hex'))).toEqual(samples.map((s) => s.toString('hex')));
  });

  it('passes an empty payload through', async () => {
    const sub = await subscribe({ channels: ['empty'] });
    await redis.publish('empty', Buffer.alloc(0));
    expect((await nextMessage(sub)).payload.length).toBe(0);
  });

  it('passes a 1 MiB payload through byte for byte, and the message after it', async () => {
    const sub = await subscribe({ channels: ['big'], patterns: ['big*'] });
    const big = randomBytes(1024 * 1024);
    await redis.publish('big', big);
    await redis.publish('big', 'after');
    const [first, second] = await take(sub, 2, 10_000);
    expect(first?.payload.length).toBe(big.length);
    expect(first?.payload.equals(big)).toBe(true);
    expect(second?.payload.toString()).toBe('after');
  });
});

describe('observer effect', () => {
  it('does not show up in PUBSUB NUMSUB without exact', async () => {
    const before = await numpat();
    await subscribe({ channels: ['socket.io-request#/#', 'numsub:plain'] });
    expect(await numsub('socket.io-request#/#')).toBe(0);
    expect(await numsub('numsub:plain')).toBe(0);
    expect(await numpat()).toBe(before + 2);
  });

  it('shows up in PUBSUB NUMSUB with exact', async () => {
    await subscribe({ channels: ['numsub:exact'], exact: true });
    expect(await numsub('numsub:exact')).toBe(1);
  });
});

describe('no message lost at the start', () => {
  it('receives a message published from the "subscribed" status callback', async () => {
    let published: Promise<number> | undefined;
    const sub = await subscribe({
      channels: ['early:a'],
      patterns: ['early:p:*'],
      onStatus: (status) => {
        if (status.type === 'subscribed') {
          published = Promise.all([redis.publish('early:a', 'a'), redis.publish('early:p:1', 'p')]).then(
            (counts) => counts[0] ?? 0,
          );
        }
      },
    });
    expect(await published).toBe(1);
    expect((await take(sub, 2)).map(summary)).toEqual([
      { channel: 'early:a', payload: 'a' },
      { channel: 'early:p:1', pattern: 'early:p:*', payload: 'p' },
    ]);
  });

  it('queues messages that arrive before anyone iterates', async () => {
    const sub = await subscribe({ channels: ['early:q'] });
    for (let i = 0; i < 100; i++) await redis.publish('early:q', String(i));
    await eventually(async () => sub.queued === 100);
    const messages = await take(sub, 100);
    expect(messages.map((m) => m.payload.toString())).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });
});

describe('slow consumers', () => {
  it('drops the oldest messages beyond the queue limit and counts them', async () => {
    const drops: number[] = [];
    const sub = await subscribe({ channels: ['slow'], queue: { limit: 3, onDrop: (n) => drops.push(n) } });
    for (let i = 0; i < 10; i++) await redis.publish('slow', String(i));
    await eventually(async () => sub.dropped === 7);
    expect(drops).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Where they were dropped: one marker, before the three that are left.
    expect(await nextItem(sub)).toMatchObject({ type: 'drop', count: 7, bytes: 7, total: 7 });
    expect((await take(sub, 3)).map((m) => m.payload.toString())).toEqual(['7', '8', '9']);
  });
});

describe('closing', () => {
  async function clientNames(): Promise<string[]> {
    const list = await redis.cli('CLIENT', 'LIST');
    return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1] ?? '');
  }

  async function quitCalls(): Promise<number> {
    const stats = await redis.cli('INFO', 'commandstats');
    return Number(/cmdstat_quit:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  }

  it('sends QUIT, leaves the server, and ends the iteration', async () => {
    const quits = await quitCalls();
    const sub = await subscribe({ channels: ['close:a'] });
    expect(await clientNames()).toContain('redis-print');
    await redis.publish('close:a', 'left in the queue');
    await eventually(async () => sub.queued === 1);
    await sub.close();
    expect(await clientNames()).not.toContain('redis-print');
    expect(await quitCalls()).toBe(quits + 1);
    expect(await sub[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
    await sub.close(); // twice is fine
  });

  it('closes when the consumer breaks out of for-await', async () => {
    const sub = await subscribe({ channels: ['close:b'] });
    await redis.publish('close:b', 'x');
    for await (const message of sub) {
      expect(message.type === 'message' && message.payload.toString()).toBe('x');
      break;
    }
    await eventually(async () => !(await clientNames()).includes('redis-print'));
  });

  it('closes when the signal aborts after subscribing', async () => {
    const controller = new AbortController();
    const statuses: string[] = [];
    const sub = await subscribe({ channels: ['close:c'], onStatus: (s) => statuses.push(s.type) }, controller.signal);
    const ended = sub[Symbol.asyncIterator]().next();
    controller.abort();
    expect(await ended).toEqual({ value: undefined, done: true });
    await eventually(async () => statuses.includes('disconnected'));
    expect(await clientNames()).not.toContain('redis-print');
  });

  it('rejects with the abort reason when aborted before it subscribed', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = openSubscriber(conn, { channels: ['close:d'], patterns: [], exact: false }, controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(async () => !(await clientNames()).includes('redis-print'));
  });
});

describe('losing the connection', () => {
  it('yields what was received, then fails with ECONNLOST', async () => {
    const statuses: SubscriberStatus[] = [];
    const sub = await subscribe({ channels: ['lost'], onStatus: (s) => statuses.push(s) });
    await redis.publish('lost', 'before');
    await eventually(async () => sub.queued === 1);
    await redis.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(async () => statuses.some((s) => s.type === 'disconnected'));
    expect((await nextMessage(sub)).payload.toString()).toBe('before');
    const failure = await sub[Symbol.asyncIterator]().next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(failure).toMatchObject({ code: 'ECONNLOST', message: `connection to 127.0.0.1:${redis.port} lost: closed by the server` });
    expect(statuses.at(-1)).toMatchObject({ type: 'disconnected', error: { code: 'ECONNLOST' } });
    expect(await sub[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });
});

describe('authentication against a server without a password', () => {
  it('warns through the status callback, not the console, and still subscribes', async () => {
    const consoleWarn = vi.spyOn(console, 'warn');
    const consoleError = vi.spyOn(console, 'error');
    try {
      const statuses: SubscriberStatus[] = [];
      const withPassword = connectionOptions({ host: '127.0.0.1', port: redis.port, password: 'unneeded' });
      const sub = await openSubscriber(withPassword, {
        channels: ['nopass'],
        patterns: [],
        exact: false,
        onStatus: (s) => statuses.push(s),
      });
      open.push(sub);
      expect(statuses).toContainEqual({
        type: 'warning',
        target: `127.0.0.1:${redis.port}`,
        message: 'a password was given but the server does not require one',
      });
      await redis.publish('nopass', 'ok');
      expect((await nextMessage(sub)).payload.toString()).toBe('ok');
      expect(consoleWarn).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleWarn.mockRestore();
      consoleError.mockRestore();
    }
  });
});

describe('requests', () => {
  it('rejects a request with nothing to subscribe to, without connecting', async () => {
    await expect(openSubscriber(conn, { channels: [], patterns: [], exact: false })).rejects.toThrow(RangeError);
  });
});
