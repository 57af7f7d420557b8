#!/usr/bin/env node
// Decode time of a 1 MiB LARGE_BIG_EXT (an 8,388,608-bit integer), in milliseconds.
//
//   cd bench && npm run bignum        or   node bignum.mjs [--json] [--rounds 15] [--ms 300] [--clock cpu|wall]
//
// The payloads are built here byte for byte (131, 111, u32 n, sign, n little-endian digit bytes):
//   all-ones   2^(8·2^20) − 1, which is exactly Erlang's term_to_binary((1 bsl (8*1024*1024)) - 1);
//              when `erl` is on PATH the bytes are checked against real Erlang by SHA-256.
//   mixed      the same length with pseudo-random digits (an LCG), negative sign.
// Both results are verified before timing: bit length, sign, and the value mod a prime computed
// independently from the digit bytes.
//
// Rows: our decodeEtf; "hex floor" — not a decoder, just Buffer reverse + toString('hex') + BigInt(),
// the cheapest linear way to the same bigint in JS, to show what the conversion itself costs; and
// what the other ETF decoders do with it (none returns the right value). Last, how long printing
// takes: BigInt#toString(10) of the result, which is what an IEx-style printer would call.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { environment, fmt, interleave, markdownTable, median, setClock } from './common.mjs';

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '15' },
    ms: { type: 'string', default: '300' },
    clock: { type: 'string', default: 'cpu' },
  },
});
setClock(args.clock);

let decodeEtf;
try {
  ({ decodeEtf } = await import('../dist/codec/etf/decode.js'));
} catch (e) {
  console.error(`cannot load ../dist/codec/etf/decode.js (${e.message}); run \`npm run build\` in the repo root first`);
  process.exit(2);
}

const N = 1 << 20; // digit bytes

function largeBig(negative, fillDigits) {
  const b = Buffer.alloc(7 + N);
  b[0] = 131;
  b[1] = 111; // LARGE_BIG_EXT
  b.writeUInt32BE(N, 2);
  b[6] = negative ? 1 : 0;
  fillDigits(b.subarray(7));
  return b;
}
const allOnes = largeBig(false, (d) => d.fill(0xff));
const mixed = largeBig(true, (d) => {
  let x = 0x2545f491;
  for (let i = 0; i < d.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    d[i] = x >>> 24;
  }
  d[d.length - 1] |= 0x80; // top digit non-zero: the bit length is exactly 8·N
});

// ---- cross-check against real Erlang ------------------------------------------------------------
let erlangCheck = 'skipped (no erl on PATH)';
try {
  const want = execFileSync(
    'erl',
    ['-noshell', '-eval', 'io:format("~s", [binary:encode_hex(crypto:hash(sha256, term_to_binary((1 bsl (8*1024*1024)) - 1)))]), halt().'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 },
  ).trim();
  const got = createHash('sha256').update(allOnes).digest('hex');
  if (want.toLowerCase() !== got) throw new Error(`all-ones payload differs from Erlang's term_to_binary (sha256 ${got} vs ${want})`);
  erlangCheck = 'all-ones bytes identical to erl term_to_binary (sha256)';
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}

// ---- verify our results -------------------------------------------------------------------------
const P = 1_000_000_007;
/** value mod P from the little-endian digit bytes, Horner from the top, in doubles (all < 2^53). */
function modFromDigits(buf) {
  const d = buf.subarray(7);
  let r = 0;
  for (let i = d.length - 1; i >= 0; i--) r = (r * 256 + d[i]) % P;
  return buf[6] ? (P - r) % P : r;
}
function verify(name, buf, v) {
  if (typeof v !== 'bigint') throw new Error(`${name}: expected a bigint, got ${typeof v}`);
  const negative = buf[6] === 1;
  if (v < 0n !== negative) throw new Error(`${name}: wrong sign`);
  const mag = negative ? -v : v;
  if (mag.toString(2).length !== 8 * N) throw new Error(`${name}: wrong bit length`);
  const m = Number(((v % BigInt(P)) + BigInt(P)) % BigInt(P));
  if (m !== modFromDigits(buf)) throw new Error(`${name}: wrong value (mod ${P})`);
}
verify('ours all-ones', allOnes, decodeEtf(allOnes));
verify('ours mixed', mixed, decodeEtf(mixed));

function hexFloor(buf) {
  const digits = Buffer.from(buf.subarray(7)).reverse(); // most significant first
  const mag = BigInt('0x' + digits.toString('hex'));
  return buf[6] ? -mag : mag;
}
verify('hex floor', mixed, hexFloor(mixed));

// ---- what the other decoders do -----------------------------------------------------------------
function tryOther(name, fn) {
  try {
    const v = fn();
    const shown = typeof v === 'bigint' ? `a bigint (${v.toString(2).length} bits)` : `${typeof v} ${String(v).slice(0, 40)}`;
    return { name, result: `returns ${shown}` };
  } catch (e) {
    return { name, result: e.code === 'MODULE_NOT_FOUND' ? 'not installed' : `throws: ${e.message.split('\n')[0]}` };
  }
}
const others = [
  tryOther('erlpack', () => require('erlpack').unpack(allOnes)),
  tryOther('etf.js', () => require('etf.js').unpack(allOnes)),
  tryOther('erlang_js', () => {
    let out, err;
    require('erlang_js').Erlang.binary_to_term(allOnes, (e, t) => {
      err = e;
      out = t;
    });
    if (err) throw err;
    return out;
  }),
];

// ---- time ---------------------------------------------------------------------------------------
const contenders = [
  { name: 'ours, all-ones (Erlang 1 bsl 8388608 - 1)', fn: () => decodeEtf(allOnes) },
  { name: 'ours, mixed digits, negative', fn: () => decodeEtf(mixed) },
  { name: 'hex floor: reverse + hex + BigInt()', fn: () => hexFloor(mixed) },
];
if (!args.json) process.stderr.write(`${contenders.length} contenders × ${args.rounds} rounds × ${args.ms} ms …\n`);
const rates = interleave(contenders, { rounds: Number(args.rounds), ms: Number(args.ms), warmupMs: Number(args.ms) });
const rows = contenders.map((c, i) => {
  const perRoundMs = rates[i].map((r) => 1000 / r);
  return {
    contender: c.name,
    msPerDecode: median(perRoundMs),
    minMs: Math.min(...perRoundMs),
    maxMs: Math.max(...perRoundMs),
    mbPerSec: (N / 1e6) * median(rates[i]),
  };
});

// Printing: decimal conversion of the decoded value (slow: a few runs only, wall clock).
const value = decodeEtf(allOnes);
const printMs = [];
let digits = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  digits = value.toString(10).length;
  printMs.push(performance.now() - t0);
}

const env = environment();
const result = { env, config: { digitBytes: N, rounds: Number(args.rounds), msPerSlot: Number(args.ms), clock: args.clock }, erlangCheck, rows, others, print: { what: 'BigInt#toString(10)', digits, msMedian: median(printMs), runs: printMs } };
if (args.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const out = [];
  out.push(`node ${env.node} (V8 ${env.v8}) · ${env.cpu} · ${env.cores} cores`);
  out.push(`LARGE_BIG_EXT with ${N.toLocaleString('en-US')} digit bytes (${(7 + N).toLocaleString('en-US')}-byte payload) · ${erlangCheck}`);
  out.push(`${args.rounds} interleaved rounds × ~${args.ms} ms (${args.clock} clock), medians`);
  out.push('');
  out.push(
    markdownTable(
      ['contender', 'ms / decode', 'min–max ms', 'MB/s'],
      rows.map((r) => [r.contender, fmt(r.msPerDecode), `${fmt(r.minMs)}–${fmt(r.maxMs)}`, fmt(r.mbPerSec)]),
      ['l', 'r', 'r', 'r'],
    ),
  );
  out.push('');
  for (const o of others) out.push(`- ${o.name}: ${o.result}`);
  out.push(`- printing it: BigInt#toString(10) → ${digits.toLocaleString('en-US')} digits in ${fmt(median(printMs))} ms (median of 3)`);
  console.log(out.join('\n'));
}
