import { describe, expect, it } from 'vitest';
import { escapeGlob, SubscriptionPlan } from '../../src/redis/SubscriptionPlan.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('escapeGlob', () => {
  it('escapes each glob metacharacter and nothing else', () => {
    expect(escapeGlob('plain:channel.name#/#')).toBe('plain:channel.name#/#');
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
    expect(escapeGlob('')).toBe('');
    expect(escapeGlob('ünïcødé*')).toBe('ünïcødé\\*');
  });
});

describe('SubscriptionPlan', () => {
  it('watches exact channels through escaped patterns by default', () => {
    const plan = new SubscriptionPlan({ channels: ['a', 'b*', 'a'], patterns: ['p:*'], exact: false });
    expect(plan.psubscribe).toEqual(['p:*', 'a', 'b\\*']);
    expect(plan.subscribe).toEqual([]);
    expect(plan.size).toBe(3);
  });

  it('SUBSCRIBEs exact channels in exact mode', () => {
    const plan = new SubscriptionPlan({ channels: ['a', 'b*'], patterns: ['p:*'], exact: true });
    expect(plan.psubscribe).toEqual(['p:*']);
    expect(plan.subscribe).toEqual(['a', 'b*']);
  });

  it('does not PSUBSCRIBE twice when a pattern equals an escaped channel', () => {
    const plan = new SubscriptionPlan({ channels: ['news'], patterns: ['news'], exact: false });
    expect(plan.psubscribe).toEqual(['news']);
  });

  it('reports the user pattern, and an exact channel without one', () => {
    const plan = new SubscriptionPlan({ channels: ['x*', 'news'], patterns: ['news', 'p:*'], exact: false });
    expect(plan.patternFor(bytes('p:1'), 'p:*')).toBe('p:*');
    expect(plan.patternFor(bytes('x*'), 'x\\*')).toBeUndefined();
    // exact wins, whichever of the matching subscriptions delivered first
    expect(plan.patternFor(bytes('news'), 'news')).toBeUndefined();
    expect(plan.patternFor(bytes('x*'), 'p:*')).toBeUndefined();
    expect(plan.patternFor(bytes('a'), undefined)).toBeUndefined();
  });

  it('refuses an empty request', () => {
    expect(() => new SubscriptionPlan({ channels: [], patterns: [], exact: false })).toThrow(RangeError);
  });
});
