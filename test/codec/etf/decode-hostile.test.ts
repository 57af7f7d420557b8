import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEtf } from '../../../src/codec/etf/decode.js';
import { DecodeError } from '../../../src/codec/DecodeError.js';
import { Atom, ErlMap, Tuple, type Term } from '../../../src/codec/etf/term.js';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

/** Decodes, expecting the typed error; returns it for further checks. */
function failure(input: Uint8Array, options = {}): DecodeError {
  try {
    decodeEtf(input, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError, but the input decoded');
}

/** The 10-byte inputs the issue names: a huge count, then 3 or 4 bytes. */
describe('counts larger than the input', () => {
  const cases: Array<[string, number[]]> = [
    // 131, LARGE_TUPLE_EXT, arity 2^32-1, then 4 bytes
    ['LARGE_TUPLE_EXT', [131, 105, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 2]],
    // 131, LIST_EXT, length 2^32-1, then 4 bytes
    ['LIST_EXT', [131, 108, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 2]],
    // 131, MAP_EXT, arity 2^32-1, then 4 bytes
    ['MAP_EXT', [131, 116, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 2]],
    // 131, BINARY_EXT, length 2^32-1, then 4 bytes
    ['BINARY_EXT', [131, 109, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]],
    // 131, BIT_BINARY_EXT, length 2^32-1, bits 3, then 3 bytes
    ['BIT_BINARY_EXT', [131, 77, 0xff, 0xff, 0xff, 0xff, 3, 1, 2, 3]],
  ];
  for (const [name, input] of cases) {
    it(`${name} claiming 2^32-1 elements in 10 bytes fails at once`, () => {
      const before = process.memoryUsage().arrayBuffers;
      const e = failure(bytes(...input));
      expect(e.code).toBe('truncated');
      expect(e.offset).toBe(1);
      expect(e.detail).toContain(name);
      expect(e.detail).toContain('4294967295');
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    });
  }

  it('names the count and the bytes left, as a person would want', () => {
    // 131, SMALL_TUPLE_EXT 2, INTEGER, LIST_EXT 2^32-1, NIL, NIL
    const e = failure(bytes(131, 104, 2, 97, 1, 108, 0xff, 0xff, 0xff, 0xff, 106, 106));
    expect(e.message).toBe('etf: truncated at offset 5: LIST_EXT at offset 5 declares 4294967295 elements, 2 bytes remain');
  });

  it('LARGE_BIG_EXT claiming 2^32-1 digit bytes is refused by the bignum limit', () => {
    // 131, LARGE_BIG_EXT, n = 2^32-1, sign 0, 3 digit bytes
    const e = failure(bytes(131, 111, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3));
    expect(e.code).toBe('too_large');
    expect(e.offset).toBe(1);
  });

  it('a 1 MiB bignum decodes exactly; one byte more is refused (printing it would stall the stream)', () => {
    const n = 1024 * 1024;
    const head = (len: number) => bytes(131, 111, ...u32(len), 0); // LARGE_BIG_EXT, n, sign +
    const ok = decodeEtf(Buffer.concat([head(n), Buffer.alloc(n, 0xff)]));
    expect(ok).toBe((1n << BigInt(8 * n)) - 1n);
    expect(failure(Buffer.concat([head(n + 1), Buffer.alloc(n + 1, 0xff)])).code).toBe('too_large');
  });

  it('LARGE_BIG_EXT within the limit but beyond the input is truncated', () => {
    // 131, LARGE_BIG_EXT, n = 1000, sign 0, 3 digit bytes
    expect(failure(bytes(131, 111, 0, 0, 3, 0xe8, 0, 1, 2, 3)).code).toBe('truncated');
  });

  it('NEWER_REFERENCE_EXT with more than 5 id words is invalid', () => {
    // 131, NEWER_REFERENCE_EXT, len 0xffff, node 'a'
    expect(failure(bytes(131, 90, 0xff, 0xff, 119, 1, 97, 0, 0, 0, 0)).code).toBe('invalid');
  });
});

describe('framing', () => {
  it('an empty payload is truncated', () => {
    expect(failure(bytes()).code).toBe('truncated');
  });
  it('a wrong version byte is named', () => {
    const e = failure(bytes(130, 97, 1));
    expect(e.code).toBe('bad_version');
    expect(e.offset).toBe(0);
    expect(e.detail).toContain('130');
  });
  it('an unknown tag is named with its offset', () => {
    // 131, SMALL_TUPLE_EXT 1, tag 200
    const e = failure(bytes(131, 104, 1, 200));
    expect(e.code).toBe('unknown_tag');
    expect(e.offset).toBe(3);
    expect(e.detail).toContain('200');
  });
  it('distribution-only tags are unknown here, by name', () => {
    // 131, ATOM_CACHE_REF 0
    const e = failure(bytes(131, 82, 0));
    expect(e.code).toBe('unknown_tag');
    expect(e.detail).toContain('ATOM_CACHE_REF');
  });
  it('trailing bytes after the term are an error naming where the term ended', () => {
    // 131, SMALL_INTEGER 1, then 2 stray bytes
    const e = failure(bytes(131, 97, 1, 0, 0));
    expect(e.code).toBe('trailing_bytes');
    expect(e.offset).toBe(3);
    expect(decodeEtf(bytes(131, 97, 1, 0, 0), { allowTrailing: true })).toBe(1);
  });
  it('NaN and infinities are refused, as binary_to_term refuses them (Erlang has none, JSON has none)', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      const b = Buffer.alloc(10);
      b[0] = 131;
      b[1] = 70; // NEW_FLOAT_EXT
      b.writeDoubleBE(v, 2);
      const e = failure(b);
      expect(e.code).toBe('invalid');
      expect(e.offset).toBe(1);
    }
  });
  it('a COMPRESSED tag inside a term is refused', () => {
    // 131, SMALL_TUPLE_EXT 1, COMPRESSED
    expect(failure(bytes(131, 104, 1, 80, 0, 0, 0, 1, 0)).code).toBe('invalid');
  });
  it('invalid UTF-8 in a UTF-8 atom is refused; the same bytes as Latin-1 decode', () => {
    // 131, SMALL_ATOM_UTF8_EXT len 2, 0xc3 0x28 (bad continuation)
    expect(failure(bytes(131, 119, 2, 0xc3, 0x28)).code).toBe('invalid');
    // 131, SMALL_ATOM_EXT len 2, same bytes → "Ã("
    expect(decodeEtf(bytes(131, 115, 2, 0xc3, 0x28))).toEqual(new Atom('\u00c3('));
  });
  it('the decoder keeps working after every kind of error', () => {
    for (const bad of [bytes(), bytes(130), bytes(131, 200), bytes(131, 97, 1, 1)]) failure(bad);
    expect(decodeEtf(bytes(131, 97, 42))).toBe(42);
  });
});

describe('COMPRESSED (tag 80)', () => {
  // The inner term: BINARY_EXT of 1000 zero bytes (no version byte inside).
  const inner = Buffer.concat([bytes(109, 0, 0, 0x03, 0xe8), Buffer.alloc(1000)]);
  const compressed = (declared: number, stream: Uint8Array = deflateSync(inner)): Buffer =>
    Buffer.concat([bytes(131, 80), u32(declared), stream]);

  it('decodes when the declared size is honest', () => {
    const v = decodeEtf(compressed(inner.length)) as Uint8Array;
    expect(v).toBeInstanceOf(Uint8Array);
    expect(v.length).toBe(1000);
  });
  it('a declared size that is too small is refused without inflating past it', () => {
    const e = failure(compressed(inner.length - 1));
    expect(e.code).toBe('bad_compressed');
    expect(e.detail).toContain('more than the declared');
  });
  it('a declared size that is too large is refused', () => {
    const e = failure(compressed(inner.length + 1));
    expect(e.code).toBe('bad_compressed');
    expect(e.detail).toContain(`inflates to ${inner.length} bytes`);
  });
  it('a declared size no zlib stream of that length could reach is refused before inflating', () => {
    const e = failure(compressed(50_000_000, deflateSync(Buffer.alloc(10))));
    expect(e.code).toBe('bad_compressed');
    expect(e.detail).toContain('more than');
  });
  it('a corrupt zlib stream is refused', () => {
    expect(failure(compressed(inner.length, bytes(1, 2, 3, 4, 5, 6))).code).toBe('bad_compressed');
  });
  it('a truncated zlib stream is refused', () => {
    const s = deflateSync(inner);
    expect(failure(compressed(inner.length, s.subarray(0, s.length - 6))).code).toBe('bad_compressed');
  });

  describe('a zip bomb: 256 MiB of zeros in about 255 KB', () => {
    let bomb: Buffer;
    beforeAll(() => {
      const zeros = Buffer.alloc(256 * 1024 * 1024);
      // BINARY_EXT header for 256 MiB − 5 bytes, so the inner term is exactly 256 MiB.
      zeros.set([109, ...u32(zeros.length - 5)], 0);
      bomb = deflateSync(zeros, { level: 9 });
    });
    it('is about 255 KB', () => {
      expect(bomb.length).toBeGreaterThan(200_000);
      expect(bomb.length).toBeLessThan(300_000);
    });
    it('declaring its true size is refused by the absolute limit', () => {
      const e = failure(compressed(256 * 1024 * 1024, bomb));
      expect(e.code).toBe('too_large');
    });
    it('declaring a small size stops inflating at that size', () => {
      const before = process.memoryUsage().rss;
      const e = failure(compressed(1024 * 1024, bomb));
      expect(e.code).toBe('bad_compressed');
      expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    });
  });
});

describe('deep nesting', () => {
  const DEPTH = 100_000;
  it(`${DEPTH}-deep lists decode without touching the JS stack`, () => {
    // [[[...[]...]]]: each level is LIST_EXT len 1, then the inner list, then NIL.
    const head = Buffer.alloc(DEPTH * 5);
    for (let i = 0; i < DEPTH; i++) head.set([108, 0, 0, 0, 1], i * 5);
    const input = Buffer.concat([bytes(131), head, bytes(106), Buffer.alloc(DEPTH, 106)]);
    let t = decodeEtf(input);
    let depth = 0;
    while (Array.isArray(t) && t.length === 1) {
      t = t[0]!;
      depth++;
    }
    expect(depth).toBe(DEPTH);
    expect(t).toEqual([]);
  });
  it(`${DEPTH}-deep tuples and maps decode`, () => {
    // {{{...{}...}}}: SMALL_TUPLE_EXT 1 repeated, then an empty tuple; and %{1 => %{1 => ...}}
    const tuples = Buffer.concat([bytes(131), Buffer.alloc(DEPTH * 2).map((_, i) => (i % 2 === 0 ? 104 : 1)), bytes(104, 0)]);
    let t: Term = decodeEtf(tuples);
    let depth = 0;
    while (t instanceof Tuple && t.items.length === 1) {
      t = t.items[0]!;
      depth++;
    }
    expect(depth).toBe(DEPTH);
    const level = bytes(116, 0, 0, 0, 1, 97, 1);
    const maps = Buffer.concat([bytes(131), Buffer.concat(Array.from({ length: DEPTH }, () => level)), bytes(116, 0, 0, 0, 0)]);
    let m: Term = decodeEtf(maps);
    depth = 0;
    while (m instanceof ErlMap && m.size === 1) {
      m = m.values[0]!;
      depth++;
    }
    expect(depth).toBe(DEPTH);
  });
  it('a list tail that is itself a list is flattened in linear time', () => {
    // [1 | [1 | [1 | ... []]]] written as 100,000 nested LIST_EXT tails: equal to a flat list.
    const level = bytes(108, 0, 0, 0, 1, 97, 1);
    const input = Buffer.concat([bytes(131), Buffer.concat(Array.from({ length: DEPTH }, () => level)), bytes(106)]);
    const t = decodeEtf(input) as Term[];
    expect(Array.isArray(t)).toBe(true);
    expect(t.length).toBe(DEPTH);
    expect(t.every((x) => x === 1)).toBe(true);
  });
});

describe('prototype pollution', () => {
  it('__proto__, constructor and prototype keys stay plain data', () => {
    const keys = ['__proto__', 'constructor', 'prototype'];
    // MAP_EXT of 6 pairs: each name as a binary key and as an atom key, value 1.
    const parts: number[] = [131, 116, 0, 0, 0, 6];
    for (const k of keys) {
      const b = [...Buffer.from(k)];
      parts.push(109, 0, 0, 0, b.length, ...b, 97, 1); // BINARY_EXT key
      parts.push(119, b.length, ...b, 97, 2); // SMALL_ATOM_UTF8_EXT key
    }
    const m = decodeEtf(Buffer.from(parts)) as ErlMap;
    expect(m).toBeInstanceOf(ErlMap);
    expect(m.size).toBe(6);
    expect(Object.getPrototypeOf(m)).toBe(ErlMap.prototype);
    expect(m.getAtom('__proto__')).toBe(2);
    expect(m.getAtom('constructor')).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Buffer.from(m.keys[0] as Uint8Array).toString()).toBe('__proto__');
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
