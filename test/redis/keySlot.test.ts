import { describe, expect, it } from 'vitest';
import { keySlot, SLOT_COUNT } from '../../src/redis/keySlot.js';

// Values from the cluster spec and the CLUSTER KEYSLOT docs; test/e2e/cluster.test.ts also checks
// names against a live server.
describe('keySlot', () => {
  it('is CRC16-XMODEM modulo 16384', () => {
    expect(keySlot('123456789')).toBe(0x31c3 % SLOT_COUNT); // the XMODEM check value
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only a non-empty {hash tag}: the first { and the first } after it', () => {
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('bar{hash_tag}')).toBe(2515);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar')); // an empty tag: the whole name is hashed
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('no{close')).not.toBe(keySlot('close'));
  });

  it('hashes the UTF-8 bytes, and takes bytes as they are', () => {
    expect(keySlot('é')).toBe(keySlot(Buffer.from([0xc3, 0xa9])));
    expect(keySlot(new Uint8Array([0xff, 0x00]))).toBeLessThan(SLOT_COUNT);
  });
});
