#!/usr/bin/env node
// The long fuzz run: seeded mutations of the ETF corpus through the decoder and the whole render pipeline.
// Fails (exit 1) if anything but DecodeError escapes the decoder, if a record is not valid JSON, or if a case
// takes longer than --max-ms (default 50; a case over 10 ms is re-run and its fastest of 3 counts).
//   npm run build && node bench/fuzz.mjs [--cases 1000000] [--seed 1] [--max-ms 50]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { decodeEtf } from '../dist/codec/etf/decode.js';
import { DecodeError } from '../dist/codec/DecodeError.js';
import { analyze, toPretty, toRecord } from '../dist/render/view.js';
import { uiStyles } from '../dist/render/palette.js';
import { mutate, rng } from '../test/helpers/mutate.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const CASES = arg('cases', 1_000_000);
const SEED = arg('seed', 1);
const MAX_MS = arg('max-ms', 50);

const dir = new URL('../test/fixtures/etf/', import.meta.url);
const corpus = JSON.parse(readFileSync(new URL('corpus.json', dir), 'utf8'));
const seeds = corpus.map((f) => new Uint8Array(readFileSync(new URL(f.file, dir))));
const ui = uiStyles(false);
const rand = rng(SEED);

/** One case through the decoder and the whole render pipeline. */
function runCase(input) {
  try {
    decodeEtf(input);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  const view = analyze(input, 'auto', 'auto');
  JSON.parse(toRecord(view, {}, false));
  toPretty(view, {}, { width: 80, charlists: 'sigil', palette: undefined, ui });
}

/**
 * A case's own cost: the fastest of three more runs. A single wall-clock reading on a shared 2-core
 * machine also holds GC pauses and preemption that belong to no case in particular.
 */
function ownCost(input) {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    runCase(input);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

let decoded = 0;
let slowest = { ms: 0, hex: '' };
let rechecked = 0;
const codes = {};
const started = performance.now();
for (let i = 0; i < CASES; i++) {
  const input = mutate(seeds[Math.floor(rand() * seeds.length)], rand);
  const t0 = performance.now();
  try {
    decodeEtf(input);
    decoded++;
  } catch (e) {
    if (!(e instanceof DecodeError)) {
      console.error(`case ${i}: ${e?.stack ?? e}\ninput: ${Buffer.from(input).toString('hex')}`);
      process.exit(1);
    }
    codes[e.code] = (codes[e.code] ?? 0) + 1;
  }
  const view = analyze(input, 'auto', 'auto');
  JSON.parse(toRecord(view, {}, false));
  toPretty(view, {}, { width: 80, charlists: 'sigil', palette: undefined, ui });
  let ms = performance.now() - t0;
  if (ms > 10) {
    rechecked++;
    ms = ownCost(input);
  }
  if (ms > slowest.ms) slowest = { ms, hex: Buffer.from(input).toString('hex').slice(0, 200) };
  if (i > 0 && i % 100_000 === 0) console.error(`${i} cases, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ cases: CASES, seed: SEED, decoded, errors: codes, slowest_ms: +slowest.ms.toFixed(2), rechecked_over_10ms: rechecked, seconds: +seconds.toFixed(1) }));
if (slowest.ms > MAX_MS) {
  console.error(`slowest case took ${slowest.ms.toFixed(1)} ms (> ${MAX_MS}): ${slowest.hex}`);
  process.exit(1);
}
