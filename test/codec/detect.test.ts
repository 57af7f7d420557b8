import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/codec/detect.js';
import { decodePayload } from '../../src/codec/payload.js';

const yes = () => true;
const no = () => false;

describe('detectFormat (pure)', () => {
  it('131 first is ETF, whatever follows', () => {
    expect(detectFormat(Buffer.from([131, 0xff]), no)).toBe('etf');
  });
  it('JSON only when it looks like JSON and the candidate decodes', () => {
    expect(detectFormat(Buffer.from('{"a":1}'), yes)).toBe('json');
    expect(detectFormat(Buffer.from('  [1]'), yes)).toBe('json');
    expect(detectFormat(Buffer.from('{"a":'), no)).toBe('text');
    expect(detectFormat(Buffer.from('hello'), yes)).toBe('text'); // does not start like JSON: never asked
  });
  it('msgpack only for an array or map header that decodes', () => {
    expect(detectFormat(Buffer.from([0x92, 1, 2]), yes)).toBe('msgpack');
    expect(detectFormat(Buffer.from([0x92, 1, 2]), no)).toBe('binary');
    expect(detectFormat(Buffer.from('a'), yes)).toBe('text'); // also msgpack 97, but a scalar: text wins
  });
  it('text vs binary', () => {
    expect(detectFormat(Buffer.from('héllo\n\tworld \u001b[31m'), no)).toBe('text');
    expect(detectFormat(Buffer.from([]), no)).toBe('text');
    expect(detectFormat(Buffer.from([0, 1, 2]), no)).toBe('binary');
    expect(detectFormat(Buffer.from([0xff, 0xfe]), no)).toBe('binary');
    expect(detectFormat(Buffer.from('a\u0085b'), no)).toBe('binary'); // C1 control
  });
});

describe('decodePayload auto', () => {
  it('detects with the real decoders', () => {
    expect(decodePayload(Buffer.from([131, 97, 1]), 'auto')).toMatchObject({ ok: true, decoded: { format: 'etf', term: 1 } });
    expect(decodePayload(Buffer.from('{"a":[1,2]}'), 'auto')).toMatchObject({ ok: true, decoded: { format: 'json' } });
    expect(decodePayload(Buffer.from(encode(['uid', { type: 2 }])), 'auto')).toMatchObject({ ok: true, decoded: { format: 'msgpack' } });
    expect(decodePayload(Buffer.from('{"a":'), 'auto')).toMatchObject({ ok: true, decoded: { format: 'text', text: '{"a":' } });
    expect(decodePayload(Buffer.from([0x93, 1]), 'auto')).toMatchObject({ ok: true, decoded: { format: 'binary' } });
  });
  it('a malformed ETF payload is an outcome, not a throw', () => {
    const r = decodePayload(Buffer.from([131, 104, 3]), 'auto');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('truncated');
  });
  it('a forced format that does not fit fails with that format named', () => {
    const r = decodePayload(Buffer.from('nope'), 'json');
    expect(r).toMatchObject({ ok: false, format: 'json' });
    expect(!r.ok && r.error.code).toBe('syntax');
  });
});
