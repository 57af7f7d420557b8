import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DropReporter } from '../../src/cli/DropReporter.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function lines(stream: PassThrough): string[] {
  return String(stream.read() ?? '').trimEnd().split('\n').filter(Boolean);
}

describe('DropReporter', () => {
  it('reports the first drop at once, then at most once a second, then the rest at the end', () => {
    const stderr = new PassThrough();
    const reporter = new DropReporter(stderr, 1_000);
    reporter.onDrop(1);
    expect(lines(stderr)).toEqual([expect.stringMatching(/^redis-print: output too slow at \d\d:\d\d:\d\d\.\d{3}: 1 message dropped, oldest first \(1 in all; --buffer sets how many may wait\)$/)]);
    for (let total = 2; total <= 500; total++) reporter.onDrop(total);
    expect(lines(stderr)).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(lines(stderr)).toEqual([expect.stringContaining(': 499 messages dropped, oldest first (500 in all;')]);
    vi.advanceTimersByTime(5_000); // nothing new: silence
    expect(lines(stderr)).toEqual([]);
    reporter.onDrop(501);
    reporter.onDrop(502);
    reporter.dispose(true);
    expect(lines(stderr)).toEqual([expect.stringContaining(': 1 message dropped'), expect.stringContaining(': 1 message dropped, oldest first (502 in all;')]);
  });
});
