import { describe, expect, it } from 'vitest';
import {
  breakDoc,
  collapseLines,
  color,
  concat,
  containerDoc,
  DocTooLargeError,
  type Doc,
  empty,
  flexGlue,
  foldDoc,
  forceUnfit,
  format,
  glue,
  group,
  line,
  nest,
  nextBreakFits,
  noLimit,
  space,
  string,
} from '../../src/render/algebra.js';

// Every expected string below was printed by Elixir 1.14.0 (OTP 25) running
//   elixir test/render/tools/algebra-cases.exs
// which formats the same doc with Inspect.Algebra.format/2 at the same width (case names match).
const palette = { atom: '\x1b[36m', number: '\x1b[33m' };
const ints = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));

const cases: Array<[name: string, doc: Doc, width: number, expected: string]> = [
  ['glue_fits', glue('aaa', 'bbb'), 10, 'aaa bbb'],
  ['glue_breaks', group(glue('aaaaaa', 'bbbbbb')), 10, 'aaaaaa\nbbbbbb'],
  ['glue_custom', group(glue('aaaaaa', 'bbbbbb', '-')), 20, 'aaaaaa-bbbbbb'],
  ['nest_break', group(nest(glue('aaaaaa', 'bbbbbb'), 4)), 10, 'aaaaaa\n    bbbbbb'],
  ['nest_cursor', concat('prefix ', nest(group(glue('aaaaaa', 'bbbbbb')), 'cursor')), 10, 'prefix aaaaaa\n       bbbbbb'],
  ['nest_reset', nest(concat(['a', line(), nest(concat(['b', line(), 'c']), 'reset')]), 4), 80, 'a\n    b\nc'],
  ['nest_break_mode_flat', group(concat('x', nest(glue('a', 'b'), 2, 'break'))), 80, 'xa b'],
  ['nest_break_mode_broken', group(concat('x', nest(glue('aaaaaa', 'bbbbbb'), 2, 'break'))), 8, 'xaaaaaa\n  bbbbbb'],
  ['flex_fill', group(foldDoc(ints(20), (x, acc) => flexGlue(x, acc))), 15, '1 2 3 4 5 6 7 8\n9 10 11 12 13\n14 15 16 17 18\n19 20'],
  ['flex_vs_strict', group(glue(flexGlue('aaa', 'bbb'), 'ccc')), 9, 'aaa bbb\nccc'],
  ['group_inherit', group(concat([group(glue('aaaa', 'bbbb'), 'inherit'), breakDoc(), 'cccc'])), 8, 'aaaa\nbbbb\ncccc'],
  ['group_self_inner', group(concat([group(glue('aa', 'bb')), breakDoc(), 'cccccccccc'])), 8, 'aa bb\ncccccccccc'],
  ['force_unfit', group(forceUnfit(glue('a', 'b'))), 80, 'a\nb'],
  ['force_outer', group(glue('a', group(forceUnfit('b')))), 80, 'a\nb'],
  ['next_break_fits', group(glue('aaaa', nextBreakFits(group(glue('[', 'x]')), 'enabled'))), 6, 'aaaa [\nx]'],
  [
    'next_break_fits_disabled',
    group(glue('aaaa', nextBreakFits(group(concat(['[', nextBreakFits(glue('', 'x'), 'disabled'), ']'])), 'enabled'))),
    6,
    'aaaa\n[ x]',
  ],
  ['line', concat(['a', line(), 'b']), 80, 'a\nb'],
  ['line_in_group', group(concat(['aaa', line(), 'bbb', breakDoc(), 'ccc'])), 80, 'aaa\nbbb ccc'],
  ['collapse', concat(['a', collapseLines(2), line(), line(), line(), line(), 'b']), 80, 'a\n\nb'],
  ['collapse_one', concat(['a', collapseLines(1), line(), line(), 'b']), 80, 'a\nb'],
  ['collapse_nested', nest(concat(['a', collapseLines(3), line(), line(), 'b', line(), 'c']), 2), 80, 'a\n\n  b\n  c'],
  // string/1 counts graphemes; a plain binary counts bytes (é is 2), so only the first fits in 11.
  ['string_unicode', group(glue(string('ééééé'), string('ééééé'))), 11, 'ééééé ééééé'],
  ['binary_unicode', group(glue('ééééé', 'ééééé')), 11, 'ééééé\nééééé'],
  // Colour escapes have no width: this fits in 11 columns.
  ['color', group(glue(color('aaaaa', 'atom', palette), color('bbbbb', 'number', palette))), 11, '\x1b[36maaaaa\x1b[0m \x1b[33mbbbbb\x1b[0m'],
  ['color_missing', color('x', 'string', palette), 80, 'x'],
  ['no_limit', group(concat(['aaaa', breakDoc(), noLimit(group(glue('bbbbbbbb', 'cccccccc')))])), 10, 'aaaa\nbbbbbbbb cccccccc'],
  ['infinity', group(glue('aaaaaaaaaa', 'bbbbbbbbbbb')), Infinity, 'aaaaaaaaaa bbbbbbbbbbb'],
  ['width0', group(glue('a', 'b')), 0, 'a\nb'],
  [
    'container_list',
    containerDoc('[', ints(30), ']'),
    40,
    '[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,\n 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,\n 23, 24, 25, 26, 27, 28, 29, 30]',
  ],
  [
    'container_strict',
    containerDoc('[', ints(12), ']', { break: 'strict' }),
    20,
    '[\n  1,\n  2,\n  3,\n  4,\n  5,\n  6,\n  7,\n  8,\n  9,\n  10,\n  11,\n  12\n]',
  ],
  ['container_flex', containerDoc('{', [group(glue('aaaa', 'bbbb')), 'c', 'd'], '}', { break: 'flex' }), 10, '{aaaa bbbb,\n c, d}'],
  ['container_maybe_nonsimple', containerDoc('[', [group(glue('aaaa', 'bbbb')), 'c', 'd'], ']'), 10, '[\n  aaaa\n  bbbb,\n  c,\n  d\n]'],
  ['container_sep', containerDoc('(', ['a', 'b', 'c'], ')', { separator: ';' }), 80, '(a; b; c)'],
  ['container_improper', containerDoc('[', ['a', 'b'], ']', {}, 'c'), 80, '[a, b | c]'],
  ['container_improper_break', containerDoc('[', ['aaaa', 'bbbb'], ']', {}, 'cccc'), 8, '[aaaa,\n bbbb |\n cccc]'],
  ['container_empty', containerDoc('[', [], ']'), 80, '[]'],
  [
    'container_nested',
    containerDoc('[', [containerDoc('[', ints(8), ']'), 'x'], ']'),
    12,
    '[\n  [1, 2, 3,\n   4, 5, 6,\n   7, 8],\n  x\n]',
  ],
  ['space', space('a', 'b'), 80, 'a b'],
  ['fold', foldDoc(['a', 'b', 'c'], (d, acc) => glue(d, acc, ',')), 80, 'a,b,c'],
];

describe('format matches Inspect.Algebra.format/2', () => {
  it.each(cases)('%s', (_name, doc, width, expected) => {
    expect(format(doc, width)).toBe(expected);
  });
});

describe('format is safe on huge docs', () => {
  it('lays out a doc nested a million deep without recursion', () => {
    let doc: Doc = 'x';
    for (let i = 0; i < 1_000_000; i++) doc = group(concat('(', concat(nest(doc, 1), ')')));
    const out = format(doc, 80);
    expect(out.length).toBe(2_000_001);
    expect(out.startsWith('((((')).toBe(true);
  });

  it('keeps break-free nesting linear (a 200,000-deep group in group still formats quickly)', () => {
    let doc: Doc = 'x';
    for (let i = 0; i < 200_000; i++) doc = group(concat('{', concat(nest(doc, 1), '}')));
    const start = performance.now();
    expect(format(doc, 80).length).toBe(400_001);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('stops with DocTooLargeError instead of building a string past maxLength', () => {
    const doc = foldDoc(Array.from({ length: 1000 }, () => 'aaaaaaaaaa'), (d, acc) => concat(d, acc));
    expect(() => format(doc, 80, { maxLength: 5_000 })).toThrow(DocTooLargeError);
    expect(format(doc, 80, { maxLength: 10_000 }).length).toBe(10_000);
  });

  it('rejects a negative or fractional width', () => {
    expect(() => format(empty(), -1)).toThrow(RangeError);
    expect(() => format(empty(), 1.5)).toThrow(RangeError);
  });
});
