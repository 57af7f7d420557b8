import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionOptions,
  ConnectionError,
  DEFAULT_RECONNECT,
  openSubscriber,
  reconnectDelay,
  type SubscribeOptions,
  type Subscriber,
  type SubscriberItem,
  type SubscriberStatus,
} from '../../src/redis/index.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { eventually, nextItem, nextMessage, summary } from './messages.js';

// Short delays so a test does not wait for the CLI's 100 ms … 5 s.
const FAST = { initialDelayMs: 20, maxDelayMs: 200 };

let redis: RedisServer;
const servers: RedisServer[] = [];
const open: Subscriber[] = [];

beforeAll(async () => {
  redis = await startRedis();
  servers.push(redis);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((sub) => sub.close()));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function subscribe(server: RedisServer, request: Partial<SubscribeOptions>): Promise<{ sub: Subscriber; statuses: SubscriberStatus[] }> {
  const statuses: SubscriberStatus[] = [];
  const sub = await openSubscriber(
    connectionOptions({ url: server.url }),
    { channels: [], patterns: [], exact: false, reconnect: FAST, onStatus: (s) => statuses.push(s), ...request },
  );
  open.push(sub);
  return { sub, statuses };
}

async function clientNames(server: RedisServer): Promise<string[]> {
  const list = await server.cli('CLIENT', 'LIST');
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1] ?? '');
}

const label = (item: SubscriberItem): string => (item.type === 'message' ? item.payload.toString() : item.type);

describe('reconnectDelay', () => {
  it('doubles from 100 ms to 5 s, each between half and all of the nominal delay', () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((n) => reconnectDelay(n, DEFAULT_RECONNECT, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((n) => reconnectDelay(n, DEFAULT_RECONNECT, () => 1));
    expect(low).toEqual([50, 100, 200, 400, 800, 1600, 2500, 2500, 2500, 2500]);
    expect(high).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
  });
});

describe('reconnecting', () => {
  it('after CLIENT KILL: resubscribes (the same handshake) and puts a gap between before and after', async () => {
    const { sub, statuses } = await subscribe(redis, { channels: ['rc:a'], patterns: ['rc:p:*'] });
    await redis.publish('rc:a', 'before');
    await eventually(async () => sub.queued === 1);
    await redis.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(async () => statuses.some((s) => s.type === 'reconnected'));
    expect(await clientNames(redis)).toContain('redis-print'); // CLIENT SETNAME again
    expect(await redis.publish('rc:a', 'after')).toBe(1);
    await redis.publish('rc:p:1', 'pattern after');

    expect(summary(await nextMessage(sub))).toEqual({ channel: 'rc:a', payload: 'before' });
    const gap = await nextItem(sub);
    expect(gap).toMatchObject({ type: 'gap', reason: 'closed by the server' });
    if (gap.type !== 'gap') throw new Error('unreachable');
    expect(gap.to).toBeGreaterThanOrEqual(gap.from);
    expect(summary(await nextMessage(sub))).toEqual({ channel: 'rc:a', payload: 'after' });
    expect(summary(await nextMessage(sub))).toEqual({ channel: 'rc:p:1', pattern: 'rc:p:*', payload: 'pattern after' });

    const kinds = statuses.map((s) => s.type);
    expect(kinds.slice(0, 3)).toEqual(['connecting', 'connected', 'subscribed']);
    expect(kinds.slice(3)).toEqual(['reconnecting', 'reconnected']);
    expect(statuses[3]).toMatchObject({ type: 'reconnecting', attempt: 1, reason: 'closed by the server', since: gap.from });
    expect(statuses[4]).toEqual({ type: 'reconnected', target: `127.0.0.1:${redis.port}`, gap });
  });

  it('resubscribes SUBSCRIBE and PSUBSCRIBE alike in exact mode', async () => {
    const { sub, statuses } = await subscribe(redis, { channels: ['rc:exact'], patterns: ['rc:exp:*'], exact: true });
    await redis.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(async () => statuses.some((s) => s.type === 'reconnected'));
    expect(await redis.cli('PUBSUB', 'NUMSUB', 'rc:exact')).toBe('rc:exact\n1');
    await redis.publish('rc:exact', 'x');
    await redis.publish('rc:exp:1', 'y');
    const items = [await nextItem(sub), await nextItem(sub), await nextItem(sub)];
    expect(items.map(label)).toEqual(['gap', 'x', 'y']);
  });

  it('after kill -9 and a restart on the same port: retries until the server is back', async () => {
    const first = await startRedis();
    servers.push(first);
    const { sub, statuses } = await subscribe(first, { channels: ['rc:restart'] });
    await first.publish('rc:restart', 'before');
    await eventually(async () => sub.queued === 1);
    await first.kill('SIGKILL');
    await eventually(async () => statuses.filter((s) => s.type === 'reconnecting').length >= 3, 5_000);
    const second = await startRedis([], { port: first.port });
    servers.push(second);
    await eventually(async () => statuses.some((s) => s.type === 'reconnected'), 5_000);
    await second.publish('rc:restart', 'after');

    expect((await Promise.all([nextItem(sub), nextItem(sub), nextItem(sub)])).map(label)).toEqual(['before', 'gap', 'after']);
    const retries = statuses.filter((s): s is Extract<SubscriberStatus, { type: 'reconnecting' }> => s.type === 'reconnecting');
    expect(retries[1]?.error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(retries.map((r) => r.attempt)).toEqual(retries.map((_r, i) => i + 1));
  });

  it('gives up when a reconnect is refused for good (the server now wants a password)', async () => {
    const locked = await startRedis();
    servers.push(locked);
    const { sub, statuses } = await subscribe(locked, { channels: ['rc:auth'] });
    await locked.command('CONFIG', 'SET', 'requirepass', 'now-secret');
    await locked.cli('-a', 'now-secret', '--no-auth-warning', 'CLIENT', 'KILL', 'TYPE', 'pubsub');
    const failure = await sub[Symbol.asyncIterator]().next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(failure).toMatchObject({ code: 'NOAUTH' });
    expect(statuses.at(-1)).toMatchObject({ type: 'disconnected', error: { code: 'NOAUTH' } });
  });

  it('stop() while reconnecting ends the iteration and makes no more attempts', async () => {
    const gone = await startRedis();
    servers.push(gone);
    const { sub, statuses } = await subscribe(gone, { channels: ['rc:stop'] });
    await gone.kill('SIGKILL');
    await eventually(async () => statuses.some((s) => s.type === 'reconnecting'));
    await sub.stop();
    expect(await sub[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
    const attempts = statuses.filter((s) => s.type === 'reconnecting').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statuses.filter((s) => s.type === 'reconnecting').length).toBe(attempts);
    expect(statuses.at(-1)).toEqual({ type: 'disconnected', target: `127.0.0.1:${gone.port}` });
  });
});

describe('stop()', () => {
  it('sends QUIT but lets the consumer have what was already received', async () => {
    const { sub } = await subscribe(redis, { channels: ['st:drain'] });
    for (const n of ['1', '2', '3']) await redis.publish('st:drain', n);
    await eventually(async () => sub.queued === 3);
    await sub.stop();
    expect(await clientNames(redis)).not.toContain('redis-print');
    const got: string[] = [];
    for await (const item of sub) got.push(label(item));
    expect(got).toEqual(['1', '2', '3']);
  });
});
