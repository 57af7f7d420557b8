import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEtf } from '../../src/codec/etf/decode.js';
import { escapeText, inspectAtomKey, inspectAtomLiteral, inspectAtomRemoteCall, printableText } from '../../src/render/atomText.js';
import { inspectTerm } from '../../src/render/inspect.js';

const jsonl = <T>(file: string): T[] =>
  readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

// fixtures/atoms.jsonl: `elixir test/render/tools/gen-atom-corpus.exs` — ~1,450 atoms (ASCII edge cases,
// random Unicode from many scripts, mixed scripts, non-NFC) with Macro.inspect_atom/2 as Elixir 1.14 prints them.
describe('Macro.inspect_atom/2', () => {
  const atoms = jsonl<{ name: string; literal: string; key: string; remote: string }>('atoms.jsonl');

  it.each(atoms.map((c) => [JSON.stringify(c.name), c] as const))('%s', (_n, c) => {
    expect([inspectAtomLiteral(c.name), inspectAtomKey(c.name), inspectAtomRemoteCall(c.name)]).toEqual([c.literal, c.key, c.remote]);
  });
});

// fixtures/text.jsonl: `elixir test/render/tools/gen-text-corpus.exs` — 1,500 random binaries (valid and
// invalid UTF-8, C0/C1 controls, BOM, non-characters, astral) and 400 integer lists, inspected at width :infinity.
describe('String.printable?, List.ascii_printable? and Code.Identifier.escape', () => {
  const texts = jsonl<{ etf: string; inspect: string }>('text.jsonl');

  it(`prints all ${texts.length} binaries and lists as Elixir 1.14`, () => {
    const wrong: string[] = [];
    for (const c of texts) {
      const got = inspectTerm(decodeEtf(new Uint8Array(Buffer.from(c.etf, 'base64'))), { width: Infinity, charlists: 'quotes' });
      if (got !== c.inspect) wrong.push(`${c.etf}: got ${JSON.stringify(got)}, Elixir ${JSON.stringify(c.inspect)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('rejects overlong, surrogate and out-of-range UTF-8 as Erlang does', () => {
    for (const bytes of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0]]) {
      expect(printableText(new Uint8Array(bytes))).toBeUndefined();
    }
    expect(printableText(new Uint8Array([0xf0, 0x9f, 0x98, 0x80]))).toBe('😀');
  });

  it('escapes the quote it is asked for and leaves the other', () => {
    expect(escapeText(`a"b'c`, '"')).toBe(`a\\"b'c`);
    expect(escapeText(`a"b'c`, "'")).toBe(`a"b\\'c`);
    expect(escapeText('\u0000\u0085\ufeff\uffff', '"')).toBe('\\0\\x85\\uFEFF\\x{FFFF}');
  });
});
