import { describe, expect, it } from 'vitest';
import { decodeEtf } from '../../../src/codec/etf/decode.js';
import { DecodeError } from '../../../src/codec/DecodeError.js';
import { analyze, toPretty, toRecord } from '../../../src/render/view.js';
import { uiStyles } from '../../../src/render/palette.js';
import { fixtureBytes, loadEtfCorpus } from '../../fixtures/etf/corpus.js';
import { mutate, rng } from '../../helpers/mutate.mjs';

// Seeded mutations of the real corpus. The long run (1,000,000+ cases, with timings) is bench/fuzz.mjs.
const CASES = 4000;
const SEED = 20261203;
const seeds = loadEtfCorpus().map((f) => fixtureBytes(f));
const ui = uiStyles(false);

describe(`fuzz: ${CASES} mutated corpus payloads (seed ${SEED})`, () => {
  it('the decoder throws only DecodeError, and everything it accepts renders', () => {
    const rand = rng(SEED);
    let decoded = 0;
    const codes = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const input = mutate(seeds[Math.floor(rand() * seeds.length)]!, rand);
      try {
        decodeEtf(input);
        decoded++;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw new Error(`case ${i} (${Buffer.from(input).toString('hex')}): ${String(e)}`);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      // The whole pipeline must survive too: a record and a pretty form for every input.
      const view = analyze(input, 'auto', 'auto');
      expect(() => JSON.parse(toRecord(view, {}, false)) as unknown).not.toThrow();
      expect(typeof toPretty(view, {}, { width: 80, charlists: 'sigil', palette: undefined, ui })).toBe('string');
    }
    // The mutations must exercise both outcomes and several error paths, or the test proves little.
    expect(decoded).toBeGreaterThan(CASES * 0.05);
    expect(codes.size).toBeGreaterThanOrEqual(4);
  });
});
