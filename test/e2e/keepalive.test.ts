import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { startCli } from '../helpers/cli-process.js';

// A connection that dies without a word (a partition, a NAT timeout) gives no socket error: only the
// keep-alive PING notices. A TCP proxy in front of a real redis-server stands in for the network: freezing
// it drops every byte on the connections it holds, while new connections still go through.
let redis: RedisServer;
let proxy: net.Server;
let proxyPort = 0;
const links: Array<{ frozen: boolean; client: net.Socket; upstream: net.Socket }> = [];

beforeAll(async () => {
  redis = await startRedis();
  proxy = net.createServer((client) => {
    const upstream = net.connect(redis.port, '127.0.0.1');
    const link = { frozen: false, client, upstream };
    links.push(link);
    client.on('data', (d) => void (link.frozen || upstream.write(d)));
    upstream.on('data', (d) => void (link.frozen || client.write(d)));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const l of links) l.client.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await redis?.stop();
});

const freezeAll = () => links.forEach((l) => (l.frozen = true));

describe('keep-alive', () => {
  it('a silently dead connection is noticed by PING, reported as a gap, and replaced', async () => {
    const cli = startCli(['subscribe', '--port', String(proxyPort), '--channel', 'ka', '--json', '--keepalive', '0.3']);
    await cli.waitForStderr('subscribed to');
    await redis.publish('ka', 'before');
    await cli.waitForLines(1);
    freezeAll();
    await cli.waitForStderr(/lost at .*\(no reply to PING for 300 ms\); reconnecting/);
    await cli.waitForStderr('reconnected at');
    await redis.publish('ka', 'after');
    const lines = await cli.waitForLines(3);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.type)).toEqual(['message', 'gap', 'message']);
    expect(records[1]!.reason).toBe('no reply to PING for 300 ms');
    expect([records[0]!.value, records[2]!.value]).toEqual(['before', 'after']);
    cli.kill('SIGTERM');
    expect(await cli.exited()).toBe(143);
  });

  it('sharded subscriptions have it too (SSUBSCRIBE on a standalone server)', async () => {
    const cli = startCli(['subscribe', '--port', String(proxyPort), '--shard-channel', 'ks', '--json', '--keepalive', '0.3']);
    await cli.waitForStderr('subscribed to');
    await redis.command('SPUBLISH', 'ks', 'before');
    await cli.waitForLines(1);
    freezeAll();
    await cli.waitForStderr('no reply to PING for 300 ms');
    await cli.waitForStderr('reconnected at');
    await redis.command('SPUBLISH', 'ks', 'after');
    const records = (await cli.waitForLines(3)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.type, r.value])).toEqual([['message', 'before'], ['gap', undefined], ['message', 'after']]);
    expect(String(records[1]!.reason)).toContain('no reply to PING for 300 ms');
    cli.kill('SIGTERM');
    expect(await cli.exited()).toBe(143);
  });

  it('with --no-reconnect it exits 5', async () => {
    const cli = startCli(['subscribe', '--port', String(proxyPort), '--channel', 'ka', '--keepalive', '0.3', '--no-reconnect']);
    await cli.waitForStderr('subscribed to');
    freezeAll();
    expect(await cli.exited()).toBe(5);
    expect(cli.stderr()).toContain('no reply to PING for 300 ms');
  });

  it('--keepalive 0 turns it off: a frozen connection then goes unnoticed', async () => {
    const cli = startCli(['subscribe', '--port', String(proxyPort), '--channel', 'ka', '--keepalive', '0', '--timeout', '1.2']);
    await cli.waitForStderr('subscribed to');
    freezeAll();
    expect(await cli.exited()).toBe(0);
    expect(cli.stderr()).not.toContain('lost');
  });
});
