import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { BIN } from '../helpers/cli-process.js';

// A reader far slower than the publisher: redis-print must keep reading the socket (or Redis cuts
// it off at `client-output-buffer-limit pubsub`), keep its memory bounded, and say what it dropped.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const MESSAGES = 100_000;
const PAYLOAD_BYTES = 2_000;
/** Peak RSS allowed for redis-print (measured ~140 MB with the default 10 000-message bound; unbounded it is ~310 MB). */
const RSS_LIMIT_MB = 200;

/** `n=000042 xxxx…`, PAYLOAD_BYTES long: the sequence number lets the test see exactly what is missing. */
function payload(n: number): Buffer {
  const head = `n=${String(n).padStart(6, '0')} `;
  return Buffer.from(head + 'x'.repeat(PAYLOAD_BYTES - head.length));
}

/**
 * PUBLISH `count` messages pipelined on a raw socket, BATCH every TICK_MS (50 000 a second, 100 MB/s):
 * fifty times what the reader takes, and the 200 MB total is six times Redis's 32 MB hard limit for
 * a Pub/Sub client, so a redis-print that stopped reading while stdout is blocked would be cut off.
 * Not faster: on a two-core machine shared with redis-server and this test, an unpaced pipeline
 * (~170 MB/s) can outrun any Node reader's parsing, and that is a different limit than the one tested.
 */
const BATCH = 500;
const TICK_MS = 10;

async function flood(port: number, channel: string, count: number): Promise<void> {
  const socket = net.createConnection({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let replies = 0;
  const done = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) replies++; // each reply is ":<n>\r\n"
      if (replies >= count) resolve();
    });
    socket.once('error', reject);
  });
  const command = (n: number): Buffer => {
    const body = payload(n);
    return Buffer.concat([Buffer.from(`*3\r\n$7\r\nPUBLISH\r\n$${channel.length}\r\n${channel}\r\n$${body.length}\r\n`), body, Buffer.from('\r\n')]);
  };
  const started = Date.now();
  for (let n = 0; n < count; n += BATCH) {
    const batch = Buffer.concat(Array.from({ length: Math.min(BATCH, count - n) }, (_, i) => command(n + i)));
    if (!socket.write(batch)) await new Promise((resolve) => socket.once('drain', resolve));
    const ahead = started + ((n + BATCH) / BATCH) * TICK_MS - Date.now();
    if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
  }
  await done;
  socket.destroy();
}

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

async function clientIds(): Promise<string[]> {
  const list = await redis.cli('CLIENT', 'LIST');
  return [...list.matchAll(/^id=(\d+) .* name=redis-print /gm)].map((m) => m[1] ?? '');
}

describe('a slow reader', () => {
  it('100 000 messages of 2 KB, fast, into a reader of ~1 line per ms: bounded memory, drops counted, never cut off', async () => {
    const child = spawn(process.execPath, [BIN, 'subscribe', '--port', String(redis.port), '--channel', 'flood', '--json', ...(process.env.EXTRA ? process.env.EXTRA.split(' ') : [])], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid ?? 0;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const until = async (check: () => boolean, what: string, ms = 15_000): Promise<void> => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => stderr.includes('subscribed to'), 'subscribed');
    const [id] = await clientIds();
    expect(id).toBeDefined();

    // The slow reader: 10 lines' worth every 10 ms, from a paused stream.
    const chunks: Buffer[] = [];
    child.stdout.pause();
    const reader = setInterval(() => {
      const chunk = child.stdout.read(10 * (PAYLOAD_BYTES + 100)) as Buffer | null;
      if (chunk) chunks.push(chunk);
    }, 10);

    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, status(pid, 'VmRSS'));
    }, 50);
    const started = Date.now();
    await flood(redis.port, 'flood', MESSAGES);
    const floodMs = Date.now() - started;
    await until(() => stderr.includes('output too slow'), 'a drop report');
    await new Promise((resolve) => setTimeout(resolve, 500)); // some more slow reading after the flood
    const hwm = status(pid, 'VmHWM');
    clearInterval(sampler);

    // Still the same connection: Redis did not close it for its output buffer, and it did not reconnect.
    expect(await clientIds()).toEqual([id]);
    expect(stderr).not.toMatch(/lost at|reconnect/);

    child.kill('SIGINT');
    clearInterval(reader);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk)).resume();
    expect(await exited).toBe(130);

    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    lines.pop(); // '' after the last newline, or a line cut short by the exit after the flush limit
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const drops = records.filter((r) => r.type === 'drop');
    const messages = records.filter((r) => r.type === 'message');
    expect(drops.length).toBeGreaterThan(0);
    // Each drop record sits exactly where messages are missing, and says how many.
    let expected = 0;
    let pendingDrop = 0;
    for (const r of records) {
      if (r.type === 'drop') {
        pendingDrop += r.count as number;
        expect(r).toMatchObject({ bytes: (r.count as number) * PAYLOAD_BYTES });
        expect(Date.parse(r.from as string)).toBeLessThanOrEqual(Date.parse(r.to as string));
        continue;
      }
      const n = Number(/^n=(\d+)/.exec(r.value as string)?.[1]);
      expect(n).toBe(expected + pendingDrop);
      expected = n + 1;
      pendingDrop = 0;
    }
    const totalDropped = drops.reduce((sum, r) => sum + (r.count as number), 0);
    expect(drops.at(-1)?.total).toBe(totalDropped);

    const summary = /stopped by SIGINT: (\d+) messages printed, (\d+) dropped/.exec(stderr);
    expect(summary).not.toBeNull();
    expect(Number(summary?.[2])).toBeGreaterThanOrEqual(totalDropped);
    expect(Number(summary?.[1])).toBeGreaterThanOrEqual(messages.length);
    expect(stderr).toMatch(/output too slow at \d\d:\d\d:\d\d\.\d{3}: \d+ messages dropped, oldest first/);
    expect(stderr).not.toMatch(/Error|EPIPE|\n\s+at /);

    console.log(
      `slow reader: flood ${floodMs} ms; peak RSS ${peakRss.toFixed(0)} MB sampled, VmHWM ${hwm.toFixed(0)} MB; ` +
        `${messages.length} printed before SIGINT, ${totalDropped} dropped in ${drops.length} runs; summary: ${summary?.[0]}`,
    );
    expect(hwm).toBeLessThan(RSS_LIMIT_MB);
  }, 40_000);
});
