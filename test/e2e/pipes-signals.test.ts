import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { BIN, startCli } from '../helpers/cli-process.js';
import { fixtureBytes } from '../fixtures/etf/corpus.js';

// How redis-print ends: the reader closes the pipe, or a signal comes. Every way is quiet on stderr
// (no stack trace, no "Error: write EPIPE") and leaves the server cleanly, with QUIT.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

async function quits(): Promise<number> {
  return Number(/cmdstat_quit:calls=(\d+)/.exec(await redis.cli('INFO', 'commandstats'))?.[1] ?? 0);
}

async function watchers(): Promise<number> {
  return [...(await redis.cli('CLIENT', 'LIST')).matchAll(/ name=redis-print /g)].length;
}

async function eventually(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Publishes on `channel` every few ms until stopped. */
function keepPublishing(channel: string): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      await redis.publish(channel, `m${n}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const NORMAL_STDERR = /^redis-print: (connected to|subscribed to) /;

describe('| head', () => {
  it('`| head -n 5` with messages flowing: head gets 5 lines, redis-print exits 0, stderr clean, QUIT sent', async () => {
    const before = await quits();
    const stop = keepPublishing('pipe');
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" subscribe --port ${redis.port} --channel pipe --json | head -n 5; echo "status=\${PIPESTATUS[0]} \${PIPESTATUS[1]}" >&2`;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile('bash', ['--norc', '--noprofile', '-c', script], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 15_000 }, (error, out, err) => {
        if (error && error.killed) reject(new Error(`timed out; stderr: ${err}`));
        else resolve({ stdout: out, stderr: err });
      });
    });
    await stop();
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ type: 'message', channel: 'pipe' });
    const errLines = stderr.trimEnd().split('\n');
    expect(errLines.at(-1)).toBe('status=0 0');
    for (const line of errLines.slice(0, -1)) expect(line).toMatch(NORMAL_STDERR);
    expect(await quits()).toBe(before + 1);
    expect(await watchers()).toBe(0);
  });
});

describe('signals', () => {
  it('SIGINT: a summary line, exit 130, and the server sees the client leave (QUIT)', async () => {
    const before = await quits();
    const cli = startCli(['subscribe', '--port', String(redis.port), '--channel', 'sig', '--json']);
    await cli.waitForStderr('subscribed to');
    expect(await watchers()).toBe(1);
    for (const n of [1, 2, 3]) await redis.publish('sig', String(n));
    await cli.waitForLines(3);
    cli.kill('SIGINT');
    expect(await cli.exited()).toBe(130);
    expect(cli.stderr().trimEnd().split('\n').at(-1)).toBe('redis-print: stopped by SIGINT: 3 messages printed, 0 dropped, no gaps');
    expect(await quits()).toBe(before + 1);
    expect(await watchers()).toBe(0);
  });

  it('SIGTERM: exit 143, the same summary, filtered messages counted', async () => {
    const before = await quits();
    const cli = startCli(['subscribe', '--port', String(redis.port), '--channel', 'term', '--json', '--topic', 'rooms:*']);
    await cli.waitForStderr('subscribed to');
    await redis.publish('term', 'not a phoenix message');
    await redis.publish('term', Buffer.from(fixtureBytes('phoenix_v3_broadcast'))); // topic rooms:lobby
    await cli.waitForLines(1);
    cli.kill('SIGTERM');
    expect(await cli.exited()).toBe(143);
    expect(cli.stderr()).toMatch(/redis-print: stopped by SIGTERM: 1 message printed, 0 dropped, no gaps, 1 filtered out\n$/);
    expect(await quits()).toBe(before + 1);
  });

  it('with the reader stalled, SIGINT prints for at most ~1 s, then says what it could not print; a second SIGINT exits at once', async () => {
    const run = async (twice: boolean) => {
      const child = spawn(process.execPath, [BIN, 'subscribe', '--port', String(redis.port), '--channel', 'stall', '--json'], {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.pause(); // nobody reads: the pipe fills and stays full
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      while (!stderr.includes('subscribed to')) await new Promise((resolve) => setTimeout(resolve, 10));
      const big = 'x'.repeat(10_000);
      for (let n = 0; n < 200; n++) await redis.publish('stall', big); // 2 MB of lines: far more than a pipe holds
      await new Promise((resolve) => setTimeout(resolve, 100));
      const signalled = Date.now();
      child.kill('SIGINT');
      if (twice) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        child.kill('SIGINT');
      }
      const code = await exited;
      return { code, ms: Date.now() - signalled, stderr };
    };

    const once = await run(false);
    expect(once.code).toBe(130);
    expect(once.ms).toBeGreaterThanOrEqual(900);
    expect(once.ms).toBeLessThan(2_500);
    expect(once.stderr).toMatch(/stopped by SIGINT: \d+ messages printed, 0 dropped, no gaps, \d+ still queued not printed \(stopped after 1\.0 s\)\n$/);

    const twice = await run(true);
    expect(twice.code).toBe(130);
    expect(twice.ms).toBeLessThan(800);
    expect(twice.stderr).not.toMatch(/\n\s+at |Error/);
    await eventually(async () => (await watchers()) === 0);
  });
});
