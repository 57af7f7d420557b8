import { readFileSync } from 'node:fs';
import { encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { runCli, startCli } from '../helpers/cli-process.js';
import { fixtureBytes } from '../fixtures/etf/corpus.js';

// The built binary against a real redis-server: real fixture bytes published by a second connection.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const CHANNEL = 'phx:Elixir.Chat.PubSub.Adapter';
const v3 = Buffer.from(fixtureBytes('phoenix_v3_broadcast'));

/** Start `subscribe`, wait until it says it is subscribed (never a sleep), publish, collect N lines. */
async function watch(args: string[], publish: Array<[string, Buffer | string]>, lines: number) {
  const cli = startCli(['subscribe', '--port', String(redis.port), ...args]);
  await cli.waitForStderr('subscribed to');
  for (const [channel, payload] of publish) await redis.publish(channel, payload);
  const out = await cli.waitForLines(lines);
  return { cli, out };
}

describe('subscribe --json', () => {
  it('decodes every kind of payload, one valid JSON object per line, in order', async () => {
    const payloads: Array<[string, Buffer | string]> = [
      [CHANNEL, v3],
      [CHANNEL, Buffer.from(fixtureBytes('phoenix_v2_broadcast'))],
      [CHANNEL, Buffer.from(fixtureBytes('phoenix_v3_tracker_heartbeat'))],
      [CHANNEL, Buffer.from(fixtureBytes('phoenix_v3_broadcast_big__z'))],
      [CHANNEL, Buffer.from(encode(['emitter', { type: 2, data: ['hello', 1] }]))],
      [CHANNEL, '{"event":"x","data":{"n":12345678901234567890}}'],
      [CHANNEL, 'plain text \u001b[31m'],
      [CHANNEL, Buffer.from([0, 1, 2, 255])],
      [CHANNEL, Buffer.from([131, 104, 3, 97, 1])],
    ];
    const { cli, out } = await watch(['--channel', CHANNEL, '--json', '--count', String(payloads.length)], payloads, payloads.length);
    expect(await cli.exited()).toBe(0);
    const records = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.format)).toEqual(['etf', 'etf', 'etf', 'etf', 'msgpack', 'json', 'text', 'binary', 'etf']);
    for (const r of records) {
      expect(r.channel).toBe(CHANNEL);
      expect(r.pattern).toBeUndefined();
      expect(r.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(records[0]).toMatchObject({ bytes: v3.length, envelope: 'phoenix_v3', node: 'n1', mode: 'except', topic: 'rooms:lobby', event: 'new:msg', payload: { body: 'hello', user: 'alice' } });
    expect(records[1]).toMatchObject({ envelope: 'phoenix_v2', topic: 'rooms:lobby', event: 'new:msg' });
    expect(records[2]).toMatchObject({ envelope: 'phoenix_v3', presence: { kind: 'heartbeat' } });
    expect(records[3]).toMatchObject({ envelope: 'phoenix_v3', event: 'new:msg' });
    expect(records[4]).toMatchObject({ value: ['emitter', { type: 2, data: ['hello', 1] }] });
    // JSON payloads keep their own text: the 20-digit number is exact.
    expect(out[5]).toContain('"value":{"event":"x","data":{"n":12345678901234567890}}');
    expect(records[6]).toMatchObject({ value: 'plain text \u001b[31m' });
    expect(out[6]).not.toContain('\u001b');
    expect(records[7]).toMatchObject({ value: { $binary: 'AAEC/w==' } });
    expect(records[8]).toMatchObject({ error: { code: 'truncated', offset: 1 }, raw: 'g2gDYQE=' });
  });
});

describe('subscribe, pretty', () => {
  it('prints a header per message and the body as IEx would', async () => {
    const { cli, out } = await watch(['--channel', CHANNEL, '--count', '1'], [[CHANNEL, v3]], 2);
    expect(await cli.exited()).toBe(0);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} phx:Elixir\.Chat\.PubSub\.Adapter etf 218 B n1 → rooms:lobby new:msg$/);
    expect(out[1]).toBe('%{"body" => "hello", "user" => "alice"}');
  });

  it('--envelope none --no-header prints exactly what RedisPrint (IO.inspect) printed', async () => {
    const names = ['phoenix_v3_broadcast', 'phoenix_v3_broadcast_big', 'phoenix_v3_broadcast_unicode', 'map_nested'];
    const expected = names.map((n) => fixtureText(n) + '\n').join('');
    const cli = startCli(['subscribe', '--port', String(redis.port), '--channel', CHANNEL, '--envelope', 'none', '--no-header', '--charlists', 'quotes', '--count', String(names.length)]);
    await cli.waitForStderr('subscribed to');
    for (const n of names) await redis.publish(CHANNEL, Buffer.from(fixtureBytes(n)));
    expect(await cli.exited()).toBe(0);
    expect(cli.stdout()).toBe(expected);
  });

  it('a malformed payload is an error record and the stream goes on', async () => {
    const { cli, out } = await watch(['--channel', CHANNEL, '--count', '2'], [[CHANNEL, Buffer.from([131, 108, 255, 255, 255, 255, 97])], [CHANNEL, v3]], 4);
    expect(await cli.exited()).toBe(0);
    expect(out[0]).toMatch(/etf 7 B error truncated at offset 1: LIST_EXT at offset 1 declares 4294967295 elements, 1 byte remain/);
    expect(out[1]).toMatch(/^00000000: 836c ffff ffff 61 /);
    expect(out[2]).toMatch(/n1 → rooms:lobby new:msg$/);
  });
});

describe('channels, patterns and filters', () => {
  it('patterns and exact channels together; other channels never appear', async () => {
    const { cli, out } = await watch(
      ['--channel', 'exact:one', '--pattern', 'pat:*', '--json', '--count', '3'],
      [
        ['other', 'no'],
        ['exact:one', 'a'],
        ['exact:onex', 'no'],
        ['pat:x', 'b'],
        ['nope:x', 'no'],
        ['pat:', 'c'],
      ],
      3,
    );
    expect(await cli.exited()).toBe(0);
    const r = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(r.map((x) => [x.channel, x.pattern, x.value])).toEqual([
      ['exact:one', undefined, 'a'],
      ['pat:x', 'pat:*', 'b'],
      ['pat:', 'pat:*', 'c'],
    ]);
  });

  it('with neither, watches phx:* and says so on stderr', async () => {
    const { cli, out } = await watch(['--json', '--count', '1'], [['not-phx', 'x'], ['phx:Elixir.A.Adapter', v3]], 1);
    expect(await cli.exited()).toBe(0);
    expect(cli.stderr()).toContain('watching the pattern phx:*');
    expect(JSON.parse(out[0]!)).toMatchObject({ channel: 'phx:Elixir.A.Adapter', pattern: 'phx:*' });
  });

  it('--topic, --event and --node filter after decoding; filtered messages are not counted', async () => {
    const other = Buffer.from(fixtureBytes('phoenix_v3_broadcast_node_atom_only'));
    const { cli, out } = await watch(['--channel', CHANNEL, '--json', '--count', '1', '--topic', 'rooms:*', '--event', 'new:*', '--node', 'n?'], [[CHANNEL, 'text'], [CHANNEL, other], [CHANNEL, v3]], 1);
    expect(await cli.exited()).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ node: 'n1', topic: 'rooms:lobby' });
  });

  it('--hide-presence hides Tracker heartbeats', async () => {
    const hb = Buffer.from(fixtureBytes('phoenix_v3_tracker_heartbeat'));
    const { cli, out } = await watch(['--channel', CHANNEL, '--json', '--count', '1', '--hide-presence'], [[CHANNEL, hb], [CHANNEL, v3]], 1);
    expect(await cli.exited()).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ event: 'new:msg' });
  });

  it('watching does not change PUBSUB NUMSUB of the watched channel', async () => {
    const before = await redis.cli('PUBSUB', 'NUMSUB', 'socket.io#/#');
    const cli = startCli(['subscribe', '--port', String(redis.port), '--channel', 'socket.io#/#']);
    await cli.waitForStderr('subscribed to');
    expect(await redis.cli('PUBSUB', 'NUMSUB', 'socket.io#/#')).toBe(before);
    cli.kill('SIGTERM');
    expect(await cli.exited()).toBe(143);
    const exact = startCli(['subscribe', '--port', String(redis.port), '--channel', 'socket.io#/#', '--exact']);
    await exact.waitForStderr('subscribed to');
    expect(await redis.cli('PUBSUB', 'NUMSUB', 'socket.io#/#')).not.toBe(before);
    exact.kill('SIGINT');
    expect(await exact.exited()).toBe(130);
    expect(exact.stderr()).toMatch(/stopped by SIGINT: 0 messages printed, 0 dropped/);
  });
});

describe('exit codes', () => {
  it('--count with --timeout: 4 when fewer than N arrived', async () => {
    const { cli } = await watch(['--channel', CHANNEL, '--count', '3', '--timeout', '0.5'], [[CHANNEL, v3]], 2);
    expect(await cli.exited()).toBe(4);
    expect(cli.stderr()).toContain('timed out after 0.5 s with 1 of 3 messages');
  });
  it('--timeout alone: 0', async () => {
    const r = await runCli(['subscribe', '--port', String(redis.port), '--timeout', '0.3']);
    expect(r.code).toBe(0);
  });
  it('connection refused: one line on stderr naming host:port, exit 3', async () => {
    const r = await runCli(['subscribe', '--port', '1', '--channel', 'x', '--connect-timeout', '2']);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['redis-print: cannot connect to 127.0.0.1:1: connection refused']);
    expect(r.stdout).toBe('');
  });
  it('a bad URL: exit 2, no stack trace', async () => {
    const r = await runCli(['subscribe', '--url', 'http://nope']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/etf/${name}.inspect.txt`, import.meta.url), 'utf8');
}
