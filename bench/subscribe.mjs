#!/usr/bin/env node
// End-to-end subscribe benchmark (issue 4): how fast redis-print drains a burst of Phoenix v3 broadcasts,
// next to `redis-cli --raw subscribe` on the same server and payloads, in the same run.
//
//   npm run build && node bench/subscribe.mjs [--messages 200000] [--rounds 3]
//
// A redis-server with `client-output-buffer-limit pubsub 0 0 0` (so a slow reader is not disconnected) on a
// free port. Per contender and round: spawn the subscriber with stdout to /dev/null, wait until Redis counts its
// subscription, write N PUBLISH commands pipelined on one socket, and time from the first byte written until
//  - redis-print (with --count N, and --buffer large enough to hold the whole burst, so nothing is dropped): the
//    process exits, i.e. every message was decoded, rendered and written;
//  - redis-cli (no --count): the server shows the subscriber's output buffer empty and redis-cli has written
//    N messages (it prints 3 lines per message to /dev/null, so "read" and "written" are the same moment).
// Peak RSS is VmHWM from /proc. Start-up is spawn → "subscribed to" on stderr. Rounds are interleaved and the
// median is reported; compare ratios within one run (2 shared cores: absolute figures drift).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const N = arg('messages', 200_000);
const ROUNDS = arg('rounds', 3);
const CHANNEL = 'phx:Elixir.Chat.PubSub.Adapter';
const BIN = fileURLToPath(new URL('../bin/redis-print.js', import.meta.url));
const payload = readFileSync(new URL('../test/fixtures/etf/phoenix_v3_broadcast.bin', import.meta.url));

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One RESP command. */
function resp(...args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

function cli(port, ...args) {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
}

function vmHWM(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Publishes N messages pipelined; resolves when Redis has answered them all (all were delivered). */
function publishAll(port) {
  const one = resp('PUBLISH', CHANNEL, payload);
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => one));
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let replies = 0;
    sock.on('data', (d) => {
      for (const b of d) if (b === 0x0a) replies++;
      if (replies >= N) {
        sock.end();
        resolve();
      }
    });
    sock.on('error', reject);
    sock.on('connect', async () => {
      for (let sent = 0; sent < N; sent += 1000) {
        const chunk = N - sent >= 1000 ? batch : Buffer.concat(Array.from({ length: N - sent }, () => one));
        if (!sock.write(chunk)) await new Promise((r) => sock.once('drain', r));
      }
    });
  });
}

async function runRedisPrint(port, extra) {
  const devnull = openSync('/dev/null', 'w');
  const t0 = performance.now();
  // The buffer must hold the whole burst, or drops (counted, by design) would keep --count from being reached.
  const child = spawn(process.execPath, [BIN, 'subscribe', '--port', String(port), '--channel', CHANNEL, '--count', String(N), '--no-color', '--buffer', String(N), '--buffer', '1gb', ...extra], {
    stdio: ['ignore', devnull, 'pipe'],
  });
  let err = '';
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, vmHWM(child.pid))), 20);
  const exited = new Promise((r) => child.on('close', r));
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('subscribed to')) resolve();
    });
    child.on('close', () => reject(new Error(`redis-print exited early: ${err}`)));
  });
  const startup = performance.now() - t0;
  const start = performance.now();
  await publishAll(port);
  const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const code = await exited;
  clearTimeout(guard);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`redis-print exited ${code}: ${err}`);
  return { seconds, rate: N / seconds, peakRss: peak, startup };
}

async function runRedisCli(port) {
  const devnull = openSync('/dev/null', 'w');
  const child = spawn('redis-cli', ['-p', String(port), '--raw', 'subscribe', CHANNEL], { stdio: ['ignore', devnull, 'ignore'] });
  while (cli(port, 'PUBSUB', 'NUMSUB', CHANNEL).split('\n')[1] !== '1') await sleep(5);
  let peak = 0;
  const start = performance.now();
  const published = publishAll(port);
  // Drained: every PUBLISH answered and the subscriber's output buffer empty.
  let done = false;
  published.then(() => (done = true));
  for (;;) {
    peak = Math.max(peak, vmHWM(child.pid));
    if (done) {
      const list = cli(port, 'CLIENT', 'LIST', 'TYPE', 'pubsub');
      const omem = /omem=(\d+)/.exec(list);
      if (omem && omem[1] === '0') break;
    }
    await sleep(2);
  }
  const seconds = (performance.now() - start) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  return { seconds, rate: N / seconds, peakRss: peak };
}

/**
 * With the default --buffer (10,000 messages / 64 MB) a burst faster than redis-print drains is partly dropped,
 * by design. This run reports how much, and the peak RSS that bound gives: SIGINT after the burst, read the summary.
 */
async function runDefaultBuffer(port) {
  const devnull = openSync('/dev/null', 'w');
  const child = spawn(process.execPath, [BIN, 'subscribe', '--port', String(port), '--channel', CHANNEL, '--no-color', '--json'], { stdio: ['ignore', devnull, 'pipe'] });
  let err = '';
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, vmHWM(child.pid))), 20);
  const exited = new Promise((r) => child.on('close', r));
  await new Promise((resolve) => child.stderr.on('data', (d) => ((err += d), err.includes('subscribed to') && resolve())));
  await publishAll(port);
  await sleep(3000);
  child.kill('SIGINT');
  await exited;
  clearInterval(sampler);
  const m = /(\d+) messages? printed, (\d+) dropped/.exec(err);
  return { printed: m ? Number(m[1]) : NaN, dropped: m ? Number(m[2]) : NaN, peakRss: peak };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rp-bench-'));
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--client-output-buffer-limit', 'pubsub', '0', '0', '0'], { stdio: 'ignore' });
  while (cli(port, 'PING') !== 'PONG') await sleep(20);
  const contenders = {
    'redis-cli --raw subscribe': () => runRedisCli(port),
    'redis-print --json': () => runRedisPrint(port, ['--json']),
    'redis-print (pretty, no colour)': () => runRedisPrint(port, []),
  };
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const names = Object.keys(contenders);
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length];
        const res = await contenders[name]();
        results[name].push(res);
        console.error(`round ${r + 1} ${name}: ${Math.round(res.rate)} msg/s, peak RSS ${(res.peakRss / 1048576).toFixed(0)} MB`);
      }
    }
    var bounded = await runDefaultBuffer(port);
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  const base = median(results['redis-cli --raw subscribe'].map((x) => x.rate));
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? '?';
  console.log(`${N} Phoenix v3 broadcasts of ${payload.length} B, ${ROUNDS} interleaved rounds, medians; node ${process.version}, ${cpu}\n`);
  console.log('| subscriber | messages/s | vs redis-cli | peak RSS | start → subscribed |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, rs] of Object.entries(results)) {
    const rate = median(rs.map((x) => x.rate));
    const rss = median(rs.map((x) => x.peakRss));
    const startup = rs[0].startup === undefined ? '—' : `${Math.round(median(rs.map((x) => x.startup)))} ms`;
    console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / base).toFixed(2)}× | ${(rss / 1048576).toFixed(0)} MB | ${startup} |`);
  }
  console.log(`\nWith the default --buffer (10,000 messages / 64 MB), the same burst into redis-print --json: ${bounded.printed.toLocaleString('en-US')} printed, ${bounded.dropped.toLocaleString('en-US')} dropped (reported), peak RSS ${(bounded.peakRss / 1048576).toFixed(0)} MB.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
