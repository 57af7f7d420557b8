import { describe, expect, it } from 'vitest';
import { OverlapFilter } from '../../src/redis/OverlapFilter.js';

const b = (text: string): Buffer => Buffer.from(text);

describe('OverlapFilter', () => {
  it('keeps the first delivery of a PUBLISH and drops its siblings', () => {
    const filter = new OverlapFilter();
    expect(filter.admit(b('ch'), 'a*', b('x'))).toBe(true);
    expect(filter.admit(b('ch'), 'c?', b('x'))).toBe(false);
    expect(filter.admit(b('ch'), undefined, b('x'))).toBe(false); // the SUBSCRIBE delivery
  });

  it('keeps a repeated PUBLISH: its first delivery comes through a subscription already seen', () => {
    const filter = new OverlapFilter();
    const deliveries: Array<[string | undefined, boolean]> = [
      ['a*', true], ['c?', false], // PUBLISH 1
      ['a*', true], ['c?', false], // PUBLISH 2, same channel and payload
      ['c?', true], ['a*', false], // PUBLISH 3, after the server's dict order changed
    ];
    for (const [via, kept] of deliveries) expect(filter.admit(b('ch'), via, b('same'))).toBe(kept);
  });

  it('keeps deliveries that differ in channel or payload', () => {
    const filter = new OverlapFilter();
    expect(filter.admit(b('ch'), 'a*', b('x'))).toBe(true);
    expect(filter.admit(b('ch'), 'c?', b('y'))).toBe(true);
    expect(filter.admit(b('ch2'), 'c?', b('y'))).toBe(true);
  });

  it('starts over after reset', () => {
    const filter = new OverlapFilter();
    expect(filter.admit(b('ch'), 'a*', b('x'))).toBe(true);
    filter.reset();
    expect(filter.admit(b('ch'), 'c?', b('x'))).toBe(true);
  });
});
