import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../src/cli/input.js';
import { CliError } from '../../src/cli/exitCodes.js';

const hex = (s: string) => [...decodeInput(Buffer.from(s), 'hex')];

describe('decodeInput', () => {
  it('hex with whitespace, newlines and 0x', () => {
    expect(hex('0x8368 02\n61 01\n')).toEqual([0x83, 0x68, 0x02, 0x61, 0x01]);
  });
  it('Elixir byte-list syntax, as IEx prints it', () => {
    expect(hex('<<131, 104, 2,\n  97, 1, 0x61, 2>>')).toEqual([131, 104, 2, 97, 1, 0x61, 2]);
    expect(hex('<<>>')).toEqual([]);
  });
  it('base64, standard and URL-safe', () => {
    expect([...decodeInput(Buffer.from('g2gCYQFhAg==\n'), 'base64')]).toEqual([131, 104, 2, 97, 1, 97, 2]);
    expect([...decodeInput(Buffer.from('-_8'), 'base64')]).toEqual([0xfb, 0xff]);
  });
  it('raw passes bytes through', () => {
    expect([...decodeInput(Buffer.from([0, 255]), 'raw')]).toEqual([0, 255]);
  });
  const bad: Array<[string, 'hex' | 'base64', RegExp]> = [
    ['83 6g', 'hex', /'g' at character 3 is not a hex digit/],
    ['836', 'hex', /odd number of hex digits/],
    ['<<1, 256>>', 'hex', /element 2 .*'256'.* not a byte/],
    ['<<1, 2', 'hex', /must end with >>/],
    ['ab$c', 'base64', /'\$' at character 2 is not base64/],
  ];
  for (const [input, enc, message] of bad) {
    it(`refuses ${JSON.stringify(input)} as ${enc} with a usage error`, () => {
      try {
        decodeInput(Buffer.from(input), enc);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(CliError);
        expect((e as CliError).exitCode).toBe(2);
        expect((e as CliError).message).toMatch(message);
      }
    });
  }
});
