import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, connectionOptions, openSubscriber, type SubscriberItem } from '../../src/redis/index.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { nextMessage } from './messages.js';

// Sharded Pub/Sub outside a cluster: every shard channel lives on the one server.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis(['--user', 'limited', 'on', '>pw', 'resetchannels', '&room:*', '+ssubscribe', '+ping', '+client', '+auth', '+quit']);
});
afterAll(async () => {
  await redis?.stop();
});

describe('shard channels on a standalone server', () => {
  it('SSUBSCRIBE; SPUBLISH arrives as a Buffer, marked sharded; PUBLISH on the same name does not', async () => {
    const statuses: string[] = [];
    const sub = await openSubscriber(
      connectionOptions({ port: redis.port }),
      { channels: [], patterns: [], exact: false, shardChannels: ['room:1', 'room:2', 'room:1'], onStatus: (s) => statuses.push(s.type) },
    );
    try {
      expect(statuses).toEqual(['connecting', 'connected', 'subscribed']);
      await redis.command('PUBLISH', 'room:1', 'classic');
      await redis.command('SPUBLISH', 'room:1', Buffer.from([0x83, 0x00, 0xff]));
      const message = (await nextMessage(sub)) as Extract<SubscriberItem, { type: 'message' }>;
      expect(message).toMatchObject({ type: 'message', channel: 'room:1', sharded: true });
      expect(Buffer.isBuffer(message.payload)).toBe(true);
      expect([...message.payload]).toEqual([0x83, 0x00, 0xff]);
    } finally {
      await sub.close();
    }
  });

  it('with channels or patterns too: one stream, one "subscribed"', async () => {
    const statuses: string[] = [];
    const sub = await openSubscriber(connectionOptions({ port: redis.port }), {
      channels: [],
      patterns: ['p:*'],
      exact: false,
      shardChannels: ['room:3'],
      onStatus: (s) => statuses.push(s.type),
    });
    try {
      expect(statuses.filter((s) => s === 'subscribed')).toHaveLength(1);
      await redis.command('SPUBLISH', 'room:3', 'a');
      expect(await nextMessage(sub)).toMatchObject({ channel: 'room:3', sharded: true });
      await redis.publish('p:x', 'b');
      const classic = await nextMessage(sub);
      expect(classic).toMatchObject({ channel: 'p:x', pattern: 'p:*' });
      expect('sharded' in classic).toBe(false);
    } finally {
      await sub.close();
    }
  });

  it('NOPERM on SSUBSCRIBE names the shard channel and the rule', async () => {
    const error = await openSubscriber(connectionOptions({ url: `redis://limited:pw@127.0.0.1:${redis.port}` }), {
      channels: [],
      patterns: [],
      exact: false,
      shardChannels: ['secret:1'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toBe(
      `cannot subscribe on 127.0.0.1:${redis.port}: permission denied: user "limited" may not use the shard channel "secret:1"; allow it with ACL SETUSER limited &secret:1`,
    );
  });
});
