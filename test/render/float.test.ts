import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFloat, inspectFloat } from '../../src/render/float.js';

// Ground truth from OTP's io_lib_format:fwrite_g/1 (what Elixir's inspect prints), written by
// test/fixtures/floats/generate.escript: fixed edge cases, then random bit patterns and magnitudes.
const lines = readFileSync(new URL('../fixtures/floats/floats.txt', import.meta.url), 'utf8').trim().split('\n');

describe('formatFloat matches Erlang', () => {
  it(`for all ${lines.length} floats in the fixture`, () => {
    const wrong: string[] = [];
    for (const line of lines) {
      const [hex, expected] = line.split(' ') as [string, string];
      const value = Buffer.from(hex, 'hex').readDoubleBE(0);
      const got = formatFloat(value);
      if (got !== expected) wrong.push(`${hex}: got ${got}, Erlang ${expected}`);
    }
    expect(wrong).toEqual([]);
    expect(lines.length).toBeGreaterThan(4000);
  });
});

// Elixir 1.14's Inspect.Float, written by `elixir test/render/tools/gen-inspect-floats.exs`: integral values
// from 1 up to 1e16 print every digit (`1000000000000000.0`), where float_to_list writes `1.0e15`.
const inspected = readFileSync(new URL('fixtures/inspect-floats.txt', import.meta.url), 'utf8').trim().split('\n');

describe('inspectFloat matches Elixir', () => {
  it(`for all ${inspected.length} floats in the fixture`, () => {
    const wrong: string[] = [];
    for (const line of inspected) {
      const [hex, expected] = line.split(' ') as [string, string];
      const got = inspectFloat(Buffer.from(hex, 'hex').readDoubleBE(0));
      if (got !== expected) wrong.push(`${hex}: got ${got}, Elixir ${expected}`);
    }
    expect(wrong).toEqual([]);
    expect(inspected.length).toBeGreaterThan(500);
  });
});
