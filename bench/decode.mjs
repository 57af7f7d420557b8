#!/usr/bin/env node
// Decode throughput on the Phoenix v3 broadcast payload: our ETF decoder against a native ETF addon,
// pure-JS ETF decoders, two MessagePack decoders and JSON.parse, all decoding the same content.
//
//   cd bench && npm install && npm run decode          (needs `npm run build` in the repo root first)
//   node decode.mjs [--json] [--rounds 15] [--ms 300] [--clock cpu|wall] [--payload phoenix_v3 ...]
//                   [--only REGEX]   (time only the contenders whose name matches; "ours" always runs)
//
// --clock cpu (default) times each slot by this process's CPU time, so a contender is not charged
// for the moments another process had the core (this is a 2-core machine shared with test runs);
// --clock wall uses performance.now().
//
// Payloads (payloads/, written by make-payloads.escript with real term_to_binary):
//   phoenix_v3          {3, except, <<"n1">>, <<"rooms:lobby">>, %Phoenix.Socket.Broadcast{...}, Phoenix.Channel.Server}
//   phoenix_v3_history  the same envelope, payload a 50-message history list of maps (~10 KB)
//   *.otp25.bin         the same terms with OTP 25's atom encoding (ATOM_EXT), for erlpack, which
//                       cannot read the SMALL_ATOM_UTF8_EXT atoms that OTP 26+ writes.
//
// "The same object" for MessagePack and JSON is toJs(decodeEtf(etf)) below, i.e.
//   tuple            -> array (the 6-tuple envelope becomes a 6-element array)
//   atom             -> string (its name); except true/false -> boolean, nil -> null (what Jason does)
//   binary           -> string (UTF-8)
//   map              -> plain object; keys (atoms or binaries here) -> their string form
//   list             -> array
//   integer          -> number (every integer in these payloads is a safe integer)
//   float            -> number
// That object is then JSON.stringify'd and @msgpack/msgpack-encoded; both encodings are checked to
// decode back to exactly it before anything is timed.
//
// Fairness: `decodeEtf` returns binaries as zero-copy Uint8Array views into the input, while
// JSON.parse and the msgpack decoders build JS strings. So besides "ours" two more rows count ours:
//   ours + utf8 strings   decodeEtf, then a walk that calls toString('utf8') on every binary (what
//                         printing needs; the strings are made and measured, not kept);
//   ours → JS object      decodeEtf + toJs: the very object JSON.parse returns. This is the row to
//                         hold against JSON.parse and msgpack.
//
// Hostile input (this CLI reads whatever is published on Redis): only our decoder is built for it.
// The others are here for speed only —
//   erlpack   C++ (nan); recursive: a 200,000-deep nested list kills the process with SIGSEGV
//             (checked with erlpack 0.1.4 on Node 20; ours decodes it); binaries come back as
//             strings; 64-bit bignums as decimal strings, longer ones throw; no SMALL_ATOM_UTF8_EXT /
//             ATOM_UTF8_EXT, so no OTP 26+ payload decodes at all (hence the OTP 25 twin bytes).
//   etf.js    recursive (deep nesting -> RangeError); maps become plain {} objects, so a "__proto__"
//             key sets the prototype and distinct keys that stringify alike collide; binaries are
//             decoded as UTF-8 text (invalid bytes silently become U+FFFD); COMPRESSED calls
//             pako.deflate instead of inflate, so compressed terms never decode; bignums > 8 bytes throw.
//   erlang_js recursive (deep nesting surfaces as a misleading "missing data" error); reads are not
//             bounds-checked, so a truncated term reads past the end and fails late with a misleading
//             error ("invalid tag", "unparsed data"); bignums are accumulated in a double (wrong past
//             2^53, Infinity past ~2^1024); callback API (synchronous for uncompressed input).
//   msgpackr  the native msgpackr-extract string accelerator loads when its prebuilt package is
//             present (reported in the output); without it msgpackr is pure JS.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { deepStrictEqual } from 'node:assert/strict';
import { environment, fmt, interleave, markdownTable, median, setClock } from './common.mjs';

const require = createRequire(import.meta.url);

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '15' },
    ms: { type: 'string', default: '300' },
    clock: { type: 'string', default: 'cpu' },
    payload: { type: 'string', multiple: true },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(args.rounds);
const MS = Number(args.ms);
const PAYLOADS = args.payload ?? ['phoenix_v3', 'phoenix_v3_history'];
setClock(args.clock);

let decodeEtf, Atom, ErlMap, Float, Tuple;
try {
  ({ decodeEtf } = await import('../dist/codec/etf/decode.js'));
  ({ Atom, ErlMap, Float, Tuple } = await import('../dist/codec/etf/term.js'));
} catch (e) {
  console.error(`cannot load ../dist/codec/etf/decode.js (${e.message}); run \`npm run build\` in the repo root first`);
  process.exit(2);
}

/** Loads an optional contender; a failed install or build skips its rows instead of the whole run. */
function optional(name, load) {
  try {
    const mod = load();
    const pkg = JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8'));
    return { name, mod, version: pkg.version };
  } catch (e) {
    return { name, mod: null, error: e.message.split('\n')[0] };
  }
}
const libs = {
  erlpack: optional('erlpack', () => require('erlpack')),
  etfjs: optional('etf.js', () => require('etf.js')),
  erlangjs: optional('erlang_js', () => require('erlang_js').Erlang),
  msgpack: optional('@msgpack/msgpack', () => require('@msgpack/msgpack')),
  msgpackr: optional('msgpackr', () => require('msgpackr')),
};

// ---- our term -> strings / plain JS -------------------------------------------------------------

const utf8 = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

/** Every binary to a UTF-8 string, as printing does. Returns the total string length (kept by the caller). */
function walkStrings(t) {
  if (t instanceof Uint8Array) return utf8(t).length; // ours are views into the payload
  if (Array.isArray(t)) {
    let n = 0;
    for (let i = 0; i < t.length; i++) n += walkStrings(t[i]);
    return n;
  }
  if (t instanceof Tuple) return walkStrings(t.items);
  if (t instanceof ErlMap) return walkStrings(t.keys) + walkStrings(t.values);
  return 0;
}

/** The plain JS object that the JSON and msgpack rows decode (mapping in the header comment). */
function toJs(t) {
  if (typeof t === 'number') return t;
  if (t instanceof Uint8Array) return utf8(t);
  if (t instanceof Atom) {
    const n = t.name;
    return n === 'true' ? true : n === 'false' ? false : n === 'nil' ? null : n;
  }
  if (Array.isArray(t)) {
    const out = new Array(t.length);
    for (let i = 0; i < t.length; i++) out[i] = toJs(t[i]);
    return out;
  }
  if (t instanceof Tuple) return toJs(t.items);
  if (t instanceof ErlMap) {
    const o = {};
    const { keys, values } = t;
    for (let i = 0; i < keys.length; i++) o[String(toJs(keys[i]))] = toJs(values[i]);
    return o;
  }
  if (t instanceof Float) return t.value;
  throw new TypeError(`toJs: no JSON form for ${t?.kind ?? typeof t} in this bench`);
}

// ---- the other decoders' results, normalized only to check they decoded the whole payload ------

function fromErlangJs(t) {
  const E = libs.erlangjs.mod;
  if (typeof t === 'number' || typeof t === 'boolean' || t === null) return t; // it maps true/false itself
  if (Array.isArray(t)) return t.map(fromErlangJs);
  if (t instanceof E.OtpErlangAtom) return t.value === 'true' ? true : t.value === 'false' ? false : t.value === 'nil' ? null : t.value;
  if (t instanceof E.OtpErlangBinary) return t.value.toString('utf8');
  if (t instanceof E.OtpErlangList) return t.value.map(fromErlangJs);
  if (t instanceof E.OtpErlangMap) {
    const o = {};
    for (const [k, v] of t.value) o[fromErlangJs(k)] = fromErlangJs(v);
    return o;
  }
  throw new TypeError(`erlang_js: unexpected ${t?.constructor?.name}`);
}

/** bigint (etf.js) and decimal strings (erlpack) for the SMALL_BIG_EXT timestamps -> number. */
function numbersOnly(x, key) {
  if (typeof x === 'bigint') return Number(x);
  if (key === 'ts' && typeof x === 'string') return Number(x);
  if (Array.isArray(x)) return x.map((v) => numbersOnly(v));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, numbersOnly(v, k)]));
  return x;
}

function erlangJsDecode(bin) {
  let out, err;
  libs.erlangjs.mod.binary_to_term(bin, (e, t) => {
    err = e;
    out = t;
  });
  if (err) throw err;
  return out;
}

// ---- contenders ---------------------------------------------------------------------------------

function contendersFor(name) {
  const etf = readFileSync(new URL(`./payloads/${name}.bin`, import.meta.url));
  const etf25 = readFileSync(new URL(`./payloads/${name}.otp25.bin`, import.meta.url));
  const js = toJs(decodeEtf(etf));
  deepStrictEqual(toJs(decodeEtf(etf25)), js);
  const jsonText = JSON.stringify(js);
  const jsonBytes = Buffer.from(jsonText, 'utf8');
  const mp = libs.msgpack.mod ? Buffer.from(libs.msgpack.mod.encode(js)) : null;

  const all = [
    { name: 'ours', input: etf, fn: () => decodeEtf(etf) },
    { name: 'ours + utf8 strings', input: etf, fn: () => walkStrings(decodeEtf(etf)) },
    { name: 'ours → JS object', input: etf, fn: () => toJs(decodeEtf(etf)), check: (v) => v },
    { name: 'ours (OTP 25 atoms)', input: etf25, fn: () => decodeEtf(etf25), check: (v) => toJs(v) },
  ];
  const skipped = [];
  const add = (lib, row) => (lib.mod ? all.push(row) : skipped.push({ name: row.name, error: lib.error }));
  add(libs.erlpack, {
    name: `erlpack ${libs.erlpack.version ?? ''} (OTP 25 atoms)`.replace('  ', ' '),
    input: etf25,
    fn: () => libs.erlpack.mod.unpack(etf25),
    check: (v) => numbersOnly(v),
  });
  add(libs.etfjs, { name: `etf.js ${libs.etfjs.version ?? ''}`, input: etf, fn: () => libs.etfjs.mod.unpack(etf), check: (v) => numbersOnly(v) });
  add(libs.erlangjs, { name: `erlang_js ${libs.erlangjs.version ?? ''}`, input: etf, fn: () => erlangJsDecode(etf), check: fromErlangJs });
  add(libs.msgpack, { name: `@msgpack/msgpack ${libs.msgpack.version ?? ''} decode`, input: mp, fn: () => libs.msgpack.mod.decode(mp), check: (v) => v });
  // int64AsType 'number': msgpackr's default turns the uint64 timestamps into bigints.
  const unpackr = libs.msgpackr.mod && new libs.msgpackr.mod.Unpackr({ int64AsType: 'number', mapsAsObjects: true });
  add(libs.msgpackr, { name: `msgpackr ${libs.msgpackr.version ?? ''} unpack`, input: mp, fn: () => unpackr.unpack(mp), check: (v) => v });
  all.push({ name: 'JSON.parse (string)', input: jsonBytes, fn: () => JSON.parse(jsonText), check: (v) => v });
  all.push({
    name: 'JSON.parse (Buffer → string)',
    input: jsonBytes,
    fn: () => JSON.parse(jsonBytes.toString('utf8')),
    check: (v) => v,
  });

  // Before timing anything: every contender decodes the whole payload to the same content.
  for (const c of all) {
    if (!c.check) continue;
    try {
      deepStrictEqual(c.check(c.fn()), js);
    } catch (e) {
      throw new Error(`${c.name} does not decode ${name} to the reference object: ${e.message.slice(0, 400)}`);
    }
  }
  const only = args.only ? new RegExp(args.only) : null;
  const chosen = only ? all.filter((c, i) => i === 0 || only.test(c.name)) : all;
  return { contenders: chosen, skipped, sizes: { etf: etf.length, etf25: etf25.length, json: jsonBytes.length, msgpack: mp?.length } };
}

// ---- run ----------------------------------------------------------------------------------------

const env = environment();
env.msgpackrNative = libs.msgpackr.mod ? Boolean(libs.msgpackr.mod.isNativeAccelerationEnabled) : null;
const results = [];
for (const name of PAYLOADS) {
  const { contenders, skipped, sizes } = contendersFor(name);
  if (!args.json) process.stderr.write(`${name}: ${contenders.length} contenders × ${ROUNDS} rounds × ${MS} ms …\n`);
  const rates = interleave(contenders, { rounds: ROUNDS, ms: MS });
  const oursRate = median(rates[0]);
  const rows = contenders.map((c, i) => {
    const rate = median(rates[i]);
    return {
      contender: c.name,
      inputBytes: c.input.length,
      decodesPerSec: rate,
      mbPerSec: (rate * c.input.length) / 1e6,
      oursOverThis: oursRate / rate,
      minPerSec: Math.min(...rates[i]),
      maxPerSec: Math.max(...rates[i]),
      rounds: rates[i],
    };
  });
  results.push({ payload: name, sizes, rows, skipped });
}

/** The targets, read off one run. */
function targets(r) {
  const row = (prefix) => r.rows.find((x) => x.contender.startsWith(prefix));
  const out = [];
  const ours = row('ours');
  const ours25 = row('ours (OTP 25');
  const erl = row('erlpack');
  const json = row('JSON.parse (string)');
  if (!json || !ours25 || !row('ours + utf8') || !row('ours → JS')) return out;
  if (erl) {
    out.push({ target: 'ours ≥ 2× erlpack (both on the OTP 25 bytes)', ratio: ours25.decodesPerSec / erl.decodesPerSec, need: 2 });
  }
  out.push({ target: 'ours ≥ 0.8× JSON.parse (decode only)', ratio: ours.decodesPerSec / json.decodesPerSec, need: 0.8 });
  out.push({ target: 'ours + utf8 strings ≥ 0.8× JSON.parse', ratio: row('ours + utf8').decodesPerSec / json.decodesPerSec, need: 0.8 });
  out.push({ target: 'ours → JS object ≥ 0.8× JSON.parse (same object)', ratio: row('ours → JS').decodesPerSec / json.decodesPerSec, need: 0.8 });
  return out.map((t) => ({ ...t, met: t.ratio >= t.need }));
}
for (const r of results) r.targets = targets(r);

if (args.json) {
  console.log(JSON.stringify({ env, config: { rounds: ROUNDS, msPerSlot: MS, clock: args.clock }, results }, null, 2));
} else {
  const out = [];
  out.push(`node ${env.node} (V8 ${env.v8}) · ${env.cpu} · ${env.cores} cores · ${env.platform}`);
  out.push(`${ROUNDS} interleaved rounds × ~${MS} ms per contender (${args.clock} clock), medians · msgpackr native: ${env.msgpackrNative}`);
  for (const r of results) {
    out.push('');
    const s = r.sizes;
    out.push(`### ${r.payload} (ETF ${s.etf} B, OTP 25 ETF ${s.etf25} B, msgpack ${s.msgpack} B, JSON ${s.json} B)`);
    out.push('');
    out.push(
      markdownTable(
        ['contender', 'input B', 'decodes/s', 'MB/s', 'ours ÷ this', 'spread (min–max /s)'],
        r.rows.map((x) => [
          x.contender,
          String(x.inputBytes),
          fmt(x.decodesPerSec),
          fmt(x.mbPerSec),
          `${x.oursOverThis.toFixed(2)}×`,
          `${fmt(x.minPerSec)}–${fmt(x.maxPerSec)}`,
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
    for (const k of r.skipped) out.push(`\nskipped ${k.name}: ${k.error}`);
    out.push('');
    for (const t of r.targets) out.push(`- ${t.met ? 'met ' : 'MISS'} ${t.target}: ${t.ratio.toFixed(2)}×`);
  }
  out.push('');
  out.push('"ours ÷ this" above 1 means ours decodes faster. MB/s counts each contender\'s own input bytes.');
  console.log(out.join('\n'));
}
