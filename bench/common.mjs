// Shared by decode.mjs and bignum.mjs: the timing loop, environment facts and table printing.
//
// Timing model: every contender runs in the same process, in interleaved rounds. In round r the
// contenders run one after another, starting at index r mod n (so each one takes every position
// in the order equally often), each for about `ms` milliseconds. A contender's score is the median
// of its per-round rates. Before each slot a full GC runs, so one contender's garbage is not
// collected on the next one's clock. On a small, shared machine the absolute numbers drift from
// run to run; ratios inside one run are what to compare.

import os from 'node:os';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';

/** A real `gc()`, whether or not node was started with --expose-gc. */
export const gc = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
})();

/** Written by every timed call so V8 cannot drop the work as dead code. */
export let sink;

/**
 * Clocks in milliseconds. `wall` is performance.now(). `cpu` is this process's user+system CPU time
 * (all threads, so GC helper threads count too): on a busy machine it does not run while the
 * process is descheduled, which makes it far steadier when other work shares the cores.
 */
const CLOCKS = {
  wall: () => performance.now(),
  cpu: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
};
let now = CLOCKS.wall;
export function setClock(name) {
  if (!CLOCKS[name]) throw new Error(`unknown clock ${name} (wall or cpu)`);
  now = CLOCKS[name];
}

/** Calls `fn` in batches of `batch` until `ms` have passed. Returns calls per second. */
function runSlot(fn, batch, ms) {
  let n = 0;
  const t0 = now();
  let t;
  do {
    for (let i = 0; i < batch; i++) sink = fn();
    n += batch;
    t = now();
  } while (t - t0 < ms);
  return (n * 1000) / (t - t0);
}

/** A batch size that takes about 1 ms, so reading the clock costs nothing measurable. */
function calibrate(fn) {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    const dt = performance.now() - t0;
    if (dt >= 1 || batch >= 1 << 20) return Math.max(1, Math.round(batch / Math.max(dt, 0.001)));
    batch *= 2;
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs the contenders `{ name, fn }` interleaved. `warmup` untimed rounds first (JIT), then
 * `rounds` timed ones. Returns, per contender, its per-round rates (calls/s) in round order.
 */
export function interleave(contenders, { rounds, ms, warmupMs = ms }) {
  const batches = contenders.map((c) => calibrate(c.fn));
  // Warm-up: two short passes, each contender in the same slot shape as the timed rounds.
  for (let w = 0; w < 2; w++) {
    contenders.forEach((c, i) => {
      gc();
      runSlot(c.fn, batches[i], warmupMs / 2);
    });
  }
  // Re-calibrate on optimized code.
  for (let i = 0; i < contenders.length; i++) batches[i] = calibrate(contenders[i].fn);
  const rates = contenders.map(() => []);
  const n = contenders.length;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < n; k++) {
      const i = (r + k) % n;
      gc();
      rates[i].push(runSlot(contenders[i].fn, batches[i], ms));
    }
  }
  return rates;
}

export function environment() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    date: new Date().toISOString(),
  };
}

/** A Markdown table from a header row and body rows (all strings). Numbers right-aligned. */
export function markdownTable(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const cell = (s, i) => (align[i] === 'r' ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (r) => `| ${r.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** 1234567 → "1,234,567"; small numbers keep 3 significant digits. */
export function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 1000) return Math.round(x).toLocaleString('en-US');
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
