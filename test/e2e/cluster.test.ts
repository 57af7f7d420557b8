import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '../../src/redis/index.js';
import { freePort } from '../helpers/redis-server.js';
import { startCli, type RunningCli } from '../helpers/cli-process.js';
import { startCluster, type RedisCluster } from '../helpers/redis-cluster.js';

// The built binary against a three-master Redis Cluster (no replicas), started for this file.
let cluster: RedisCluster;
/** Three shard channel names whose slots are served by three different masters. */
let shardChannels: string[];
beforeAll(async () => {
  cluster = await startCluster();
  const byOwner = new Map<number, string>();
  for (let i = 0; byOwner.size < cluster.nodes.length; i++) {
    const name = `room:${i}`;
    const owner = await cluster.ownerOf(keySlot(name));
    if (!byOwner.has(owner.port)) byOwner.set(owner.port, name);
  }
  shardChannels = [...byOwner.values()];
});
afterAll(async () => {
  await cluster?.stop();
});

const seed = (): string[] => ['--cluster', '--port', String(cluster.nodes[0]!.port)];

async function records(cli: RunningCli, n: number): Promise<Array<Record<string, unknown>>> {
  return (await cli.waitForLines(n)).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Cluster', () => {
  it('computes the same hash slots as the server (CRC16, hash tags)', async () => {
    for (const name of [...shardChannels, 'somekey', 'foo{hash_tag}', '{user1000}.following', 'a{}b', '{{x}}', 'é']) {
      expect(keySlot(name), name).toBe(await cluster.keySlot(name));
    }
  });

  it('classic Pub/Sub: one connection sees a PUBLISH made on any node', async () => {
    const cli = startCli(['subscribe', ...seed(), '--pattern', 'classic:*', '--json', '--count', '3']);
    await cli.waitForStderr('subscribed to');
    for (const [i, node] of cluster.nodes.entries()) await node.publish(`classic:${i}`, `from node ${i}`);
    expect(await cli.exited()).toBe(0);
    // Each node forwards its PUBLISH over the cluster bus on its own schedule: arrival order is not defined.
    expect((await records(cli, 3)).map((r) => r.value).sort()).toEqual(['from node 0', 'from node 1', 'from node 2']);
  });

  it('--shard-channel: SPUBLISH on three masters, each seen once, marked sharded', async () => {
    const cli = startCli(['subscribe', ...seed(), ...shardChannels.flatMap((c) => ['--shard-channel', c]), '--json', '--count', '3']);
    await cli.waitForStderr('subscribed to');
    expect(cli.stderr()).toContain(`subscribed to shard channels ${shardChannels.join(', ')}`);
    expect(cli.stderr()).not.toContain('watching the pattern phx:*');
    for (const channel of shardChannels) expect(await cluster.spublish(channel, `on ${channel}`)).toBe(1);
    expect(await cli.exited()).toBe(0);
    const got = await records(cli, 3);
    expect(got.map((r) => [r.channel, r.value, r.sharded])).toEqual(shardChannels.map((c) => [c, `on ${c}`, true]));
    expect(got.every((r) => r.pattern === undefined)).toBe(true);
  });

  it('shard channels and a pattern together, pretty output marks the shard', async () => {
    const [channel] = shardChannels as [string];
    const cli = startCli(['subscribe', ...seed(), '--shard-channel', channel, '--pattern', 'mixed:*', '--count', '2']);
    await cli.waitForStderr('subscribed to');
    expect(cli.stderr()).toContain(`subscribed to pattern mixed:* and shard channel ${channel}`);
    await cluster.nodes[1]!.publish('mixed:1', 'classic');
    await cluster.spublish(channel, 'sharded');
    expect(await cli.exited()).toBe(0);
    const headers = cli.stdout().split('\n').filter((l) => /^\d\d:\d\d/.test(l));
    expect(headers).toHaveLength(2);
    expect(headers.find((h) => h.includes(channel))).toContain(`${channel} (shard)`);
    expect(headers.find((h) => h.includes('mixed:1'))).not.toContain('(shard)');
  });

  it('follows a slot that moves to another master', async () => {
    const [channel] = shardChannels as [string];
    const cli = startCli(['subscribe', ...seed(), '--shard-channel', channel, '--json']);
    try {
      await cli.waitForStderr('subscribed to');
      await cluster.spublish(channel, 'before');
      await records(cli, 1);
      const slot = keySlot(channel);
      const from = await cluster.ownerOf(slot);
      const to = cluster.nodes.find((n) => n !== from)!;
      await cluster.moveSlot(slot, to);
      await cli.waitForStderr(/reconnected at/);
      expect(cli.stderr()).toContain(`slot ${slot} of shard channel "${channel}" moved away from 127.0.0.1:${from.port}; resubscribing on its new master`);
      expect(await cluster.spublish(channel, 'after')).toBe(1);
      const got = await records(cli, 3);
      expect(got.map((r) => r.type === 'gap' ? 'gap' : r.value)).toEqual(['before', 'gap', 'after']);
      await cluster.moveSlot(slot, from); // put it back for the other tests
    } finally {
      cli.kill('SIGTERM');
      await cli.exited();
    }
  });

  it('without --shard-channel, says once that shard channels are in use and not shown', async () => {
    const [channel] = shardChannels as [string];
    const owner = await cluster.ownerOf(keySlot(channel));
    // Someone else watches a shard channel: PUBSUB SHARDCHANNELS on its master lists it.
    const other = spawn('redis-cli', ['-p', String(owner.port), 'SSUBSCRIBE', channel], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => other.stdout.once('data', () => resolve()));
      const cli = startCli(['subscribe', ...seed(), '--pattern', 'nothing:*']);
      await cli.waitForStderr(/shard channel is in use/);
      cli.kill('SIGTERM');
      expect(await cli.exited()).toBe(143);
      expect(cli.stderr().split('\n').filter((l) => l.includes('shard channel'))).toEqual([
        `redis-print: warning: 1 shard channel is in use on this cluster (${channel}) and not shown: SPUBLISH reaches only SSUBSCRIBE; watch them with --shard-channel NAME`,
      ]);
    } finally {
      other.kill('SIGTERM');
    }
  });

  it('a seed that does not answer is skipped for the next one (--seed)', async () => {
    const dead = await freePort();
    const cli = startCli(['subscribe', '--port', String(dead), '--seed', `127.0.0.1:${cluster.nodes[2]!.port}`, '--pattern', 'seeded:*', '--json', '--count', '1']);
    await cli.waitForStderr('subscribed to');
    expect(cli.stderr()).toContain(`connected to 127.0.0.1:${cluster.nodes[2]!.port}`);
    await cluster.nodes[0]!.publish('seeded:x', 'via seed');
    expect(await cli.exited()).toBe(0);
    expect((await records(cli, 1))[0]).toMatchObject({ value: 'via seed' });
  });

  // Last: it stops a master, and this cluster has no replica to take over.
  it('a master that goes away: reported, and with --no-reconnect the watch ends (exit 5)', async () => {
    const [channel] = shardChannels as [string];
    const owner = await cluster.ownerOf(keySlot(channel));
    const seedNode = cluster.nodes.find((n) => n !== owner)!;
    const args = ['subscribe', '--cluster', '--port', String(seedNode.port), '--shard-channel', channel];
    const retrying = startCli(args);
    const giving = startCli([...args, '--no-reconnect']);
    await Promise.all([retrying.waitForStderr('subscribed to'), giving.waitForStderr('subscribed to')]);
    await owner.stop();
    expect(await giving.exited()).toBe(5);
    expect(giving.stderr()).toContain(`connection to 127.0.0.1:${owner.port} lost`);
    await retrying.waitForStderr(`connection to 127.0.0.1:${owner.port} lost at`);
    expect(retrying.stderr()).toContain('reconnecting…');
    retrying.kill('SIGTERM');
    expect(await retrying.exited()).toBe(143);
  });

  // After the test above: one master is gone for good. Classic Pub/Sub is cluster-wide, so a subscription whose
  // node dies must move to another seed rather than retry the dead one forever.
  it('classic: when its node is gone for good, the subscription moves to another seed', async () => {
    const alive = [];
    for (const n of cluster.nodes) if ((await n.cli('PING').catch(() => '')) === 'PONG') alive.push(n);
    expect(alive.length).toBeGreaterThanOrEqual(2);
    const [first, second] = alive as [(typeof alive)[number], (typeof alive)[number]];
    const cli = startCli(['subscribe', '--cluster', '--port', String(first.port), '--seed', `127.0.0.1:${second.port}`, '--pattern', 'moved:*', '--json', '--count', '2']);
    await cli.waitForStderr('subscribed to');
    await first.publish('moved:a', 'on the first node');
    await cli.waitForLines(1);
    await first.stop();
    await cli.waitForStderr(`reconnected at`);
    await second.publish('moved:b', 'on the second node');
    expect(await cli.exited()).toBe(0);
    const got = (await records(cli, 3)).map((r) => [r.type, r.value]);
    expect(got).toEqual([['message', 'on the first node'], ['gap', undefined], ['message', 'on the second node']]);
  });
});
