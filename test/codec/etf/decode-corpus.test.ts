import { describe as group, expect, it } from 'vitest';
import { decodeEtf } from '../../../src/codec/etf/decode.js';
import { DecodeError } from '../../../src/codec/DecodeError.js';
import { describe, firstDifference } from '../../helpers/describe.js';
import { fixtureBytes, loadEtfCorpus } from '../../fixtures/etf/corpus.js';

// Every fixture's bytes were written by OTP's term_to_binary (or built by hand for the old tags), and its
// expected value was described by Erlang from the term itself, not from this decoder.
const corpus = loadEtfCorpus();

group('the Erlang-made corpus', () => {
  it(`has fixtures (${corpus.length})`, () => expect(corpus.length).toBeGreaterThan(300));

  for (const f of corpus) {
    it(`${f.name} ${f.options}`, () => {
      const term = decodeEtf(fixtureBytes(f));
      expect(firstDifference(f.expected, describe(term))).toBeUndefined();
    });
  }
});

group('every truncated prefix of every fixture', () => {
  it('is the typed error, never a wrong value or another exception', () => {
    let prefixes = 0;
    for (const f of corpus) {
      const bytes = fixtureBytes(f);
      const compressed = bytes[1] === 80;
      for (let n = 0; n < bytes.length; n++) {
        prefixes++;
        let error: unknown;
        try {
          decodeEtf(bytes.subarray(0, n));
        } catch (e) {
          error = e;
        }
        expect(error, `${f.name}[0..${n})`).toBeInstanceOf(DecodeError);
        const code = (error as DecodeError).code;
        expect(compressed ? ['truncated', 'bad_compressed'] : ['truncated'], `${f.name}[0..${n}): ${code}`).toContain(code);
      }
    }
    expect(prefixes).toBeGreaterThan(10_000);
  });
});
