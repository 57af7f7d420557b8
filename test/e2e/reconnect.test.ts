import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { startCli } from '../helpers/cli-process.js';

// The built binary while its server goes away: kill -9 and a restart on the same port, CLIENT KILL.
const servers: RedisServer[] = [];
async function server(port?: number): Promise<RedisServer> {
  const s = await startRedis([], port === undefined ? {} : { port });
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const CLOCK = String.raw`\d\d:\d\d:\d\d\.\d{3}`;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('the server restarts', () => {
  it('--json: messages before, a gap record, messages after; stderr says when the gap began and ended', async () => {
    const first = await server();
    const cli = startCli(['subscribe', '--port', String(first.port), '--channel', 'rs', '--json']);
    await cli.waitForStderr('subscribed to');
    await first.publish('rs', 'before');
    await cli.waitForLines(1);
    await first.kill('SIGKILL');
    await cli.waitForStderr(new RegExp(`connection to 127\\.0\\.0\\.1:${first.port} lost at ${CLOCK} \\(.+\\); reconnecting…`));
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few refused attempts
    const second = await server(first.port);
    await cli.waitForStderr('reconnected at', 10_000);
    await second.publish('rs', 'after');
    const lines = await cli.waitForLines(3);
    cli.kill('SIGINT');
    expect(await cli.exited()).toBe(130);

    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.type)).toEqual(['message', 'gap', 'message']);
    expect(records.map((r) => r.value)).toEqual(['before', undefined, 'after']);
    const gap = records[1] ?? {};
    expect(Object.keys(gap)).toEqual(['type', 'from', 'to', 'ms', 'reason']);
    expect(gap.from).toMatch(ISO);
    expect(gap.to).toMatch(ISO);
    expect(gap.ms).toBe(Date.parse(gap.to as string) - Date.parse(gap.from as string));
    expect(gap.ms).toBeGreaterThanOrEqual(300);
    expect(typeof gap.reason).toBe('string');

    const err = cli.stderr();
    expect(err).toMatch(new RegExp(`redis-print: reconnected at ${CLOCK} after \\d+(\\.\\d+)? s; messages published in between are lost \\(Pub/Sub is at-most-once\\)\\n`));
    expect(err).toMatch(/stopped by SIGINT: 2 messages printed, 0 dropped, 1 gap \(\d+(\.\d+)? s\)\n$/);
    expect(err).not.toMatch(/\n\s+at |Error:/);
  });

  it('pretty mode: one dim marker line in stdout where the gap is', async () => {
    const s = await server();
    const cli = startCli(['subscribe', '--port', String(s.port), '--channel', 'pg']);
    await cli.waitForStderr('subscribed to');
    await s.publish('pg', 'before');
    await cli.waitForLines(2);
    await s.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await cli.waitForStderr('reconnected at');
    await s.publish('pg', 'after');
    const lines = await cli.waitForLines(5);
    cli.kill('SIGTERM');
    expect(await cli.exited()).toBe(143);
    expect(lines[1]).toBe('before');
    expect(lines[2]).toMatch(new RegExp(`^── gap ${CLOCK} → ${CLOCK} \\(\\d+(\\.\\d+)? s, closed by the server\\): messages published meanwhile are lost ──$`));
    expect(lines[4]).toBe('after');
    expect(cli.stderr()).toMatch(/stopped by SIGTERM: 2 messages printed, 0 dropped, 1 gap/);
  });
});

describe('stopping while reconnecting', () => {
  it('SIGINT in the middle of a gap: exits 130 at once and says so', async () => {
    const s = await server();
    const cli = startCli(['subscribe', '--port', String(s.port), '--channel', 'mid']);
    await cli.waitForStderr('subscribed to');
    await s.kill('SIGKILL');
    await cli.waitForStderr('reconnecting…');
    const signalled = Date.now();
    cli.kill('SIGINT');
    expect(await cli.exited()).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(1_000);
    expect(cli.stderr()).toMatch(new RegExp(`stopped by SIGINT: 0 messages printed, 0 dropped, no gaps, stopped while reconnecting \\(disconnected since ${CLOCK}\\)\\n$`));
  });
});

describe('--no-reconnect', () => {
  it('exits 5 when the connection is lost, saying why, after printing what had arrived', async () => {
    const s = await server();
    const cli = startCli(['subscribe', '--port', String(s.port), '--channel', 'nr', '--json', '--no-reconnect']);
    await cli.waitForStderr('subscribed to');
    await s.publish('nr', 'last');
    await cli.waitForLines(1);
    await s.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    expect(await cli.exited()).toBe(5);
    expect(JSON.parse(cli.stdout())).toMatchObject({ type: 'message', value: 'last' });
    expect(cli.stderr()).toMatch(new RegExp(`redis-print: connection to 127\\.0\\.0\\.1:${s.port} lost: closed by the server \\(at ${CLOCK}\\); not reconnecting \\(--no-reconnect\\)\\n$`));
  });

  it('kill -9: exits 5 too', async () => {
    const s = await server();
    const cli = startCli(['subscribe', '--port', String(s.port), '--channel', 'nr9', '--no-reconnect']);
    await cli.waitForStderr('subscribed to');
    await s.kill('SIGKILL');
    expect(await cli.exited()).toBe(5);
    expect(cli.stderr()).toContain('not reconnecting (--no-reconnect)');
  });
});
