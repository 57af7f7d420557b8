import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { decodeMsgpack, MsgpackExt, MsgpackMap } from '../../src/codec/msgpack.js';
import { DecodeError } from '../../src/codec/DecodeError.js';

function fails(b: Uint8Array): DecodeError {
  try {
    decodeMsgpack(b);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('decoded');
}

describe('decodeMsgpack', () => {
  it('keeps map key order, key types and 64-bit integers', () => {
    // fixmap 3: 2 => "b", "1" => "a", 1 => uint64 2^63
    const bytes = Buffer.from([0x83, 0x02, 0xa1, 0x62, 0xa1, 0x31, 0xa1, 0x61, 0x01, 0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    const m = decodeMsgpack(bytes) as MsgpackMap;
    expect(m).toBeInstanceOf(MsgpackMap);
    expect(m.keys).toEqual([2, '1', 1]);
    expect(m.values).toEqual(['b', 'a', 2n ** 63n]);
  });
  it('keeps extension types, the timestamp with its time', () => {
    const ts = decodeMsgpack(encode(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))) as MsgpackExt;
    expect(ts).toBeInstanceOf(MsgpackExt);
    expect(ts.type).toBe(-1);
    expect(ts.timestamp).toEqual({ sec: 1704164645, nsec: 678_000_000 });
    // fixext1, type 5, data 0x0a
    const e = decodeMsgpack(Buffer.from([0xd4, 0x05, 0x0a])) as MsgpackExt;
    expect([e.type, [...e.data]]).toEqual([5, [10]]);
  });
  it('bin stays bytes, str becomes text', () => {
    const [bin, str] = decodeMsgpack(Buffer.from([0x92, 0xc4, 0x02, 0x00, 0xff, 0xa2, 0x68, 0x69])) as [Uint8Array, string];
    expect(bin).toBeInstanceOf(Uint8Array);
    expect([...bin]).toEqual([0, 0xff]);
    expect(str).toBe('hi');
  });
  it('a length larger than the payload fails without allocating it', () => {
    // array32 claiming 2^32-1 elements in 6 bytes
    expect(fails(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])).code).toBe('truncated');
    // str32 claiming 2^32-1 bytes
    expect(fails(Buffer.from([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61])).code).toBe('truncated');
  });
  it('trailing bytes and truncation are typed errors', () => {
    expect(fails(Buffer.from([0x91, 0x01, 0x02])).code).toBe('trailing_bytes');
    expect(fails(Buffer.from([0x92, 0x01])).code).toBe('truncated');
  });
  it('a __proto__ key is refused by the library: a typed error, no pollution', () => {
    const e = fails(encode(JSON.parse('{"__proto__": {"polluted": 1}}')));
    expect(e.detail).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('100,000-deep arrays decode', () => {
    const depth = 100_000;
    const b = Buffer.concat([Buffer.alloc(depth, 0x91), Buffer.from([0x90])]);
    let v = decodeMsgpack(b);
    let d = 0;
    while (Array.isArray(v) && v.length === 1) {
      v = v[0]!;
      d++;
    }
    expect(d).toBe(depth);
  });
});
