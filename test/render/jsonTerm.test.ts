import { describe, expect, it } from 'vitest';
import { Atom, BitBinary, Charlist, ErlMap, ExportFun, Float, Fun, ImproperList, LocalTerm, Pid, Port, Reference, Tuple, type Term } from '../../src/codec/etf/term.js';
import { jsonToTerm, termJson, termToJson, type Json } from '../../src/render/jsonTerm.js';

const a = (n: string) => new Atom(n);
const b = (s: string) => Buffer.from(s);
const pid = new Pid(a('n1@host'), 96, 0, 1733224000);

/** Through text, as a script would see it: stringify, JSON.parse, back to a term. */
const roundTrip = (t: Term): Term => jsonToTerm(JSON.parse(termJson(t)) as Json);

describe('termToJson: the common case is plain JSON', () => {
  it('a payload from a JSON client maps back to exactly that JSON', () => {
    const payload = new ErlMap(
      [b('body'), b('user'), b('n'), b('ok'), b('none'), b('tags'), b('pi')],
      [b('hello'), b('alice'), 42, a('true'), a('nil'), [b('a'), b('b')], new Float(3.14)],
    );
    expect(termJson(payload)).toBe('{"body":"hello","user":"alice","n":42,"ok":true,"none":null,"tags":["a","b"],"pi":3.14}');
  });
});

describe('termToJson: types JSON lacks are tagged', () => {
  const cases: Array<[string, Term, Json]> = [
    ['atom', a('ok'), { $atom: 'ok' }],
    ['alias atom keeps its Erlang name', a('Elixir.Chat.PubSub'), { $atom: 'Elixir.Chat.PubSub' }],
    ['tuple', new Tuple([a('ok'), 1]), { $tuple: [{ $atom: 'ok' }, 1] }],
    ['non-UTF-8 binary', Buffer.from([0xff, 0x00]), { $binary: '/wA=' }],
    ['bitstring', new BitBinary(Uint8Array.from([0b10100000]), 3), { $bitstring: 'oA==', bits: 3 }],
    ['bigint', 2n ** 64n, { $bigint: '18446744073709551616' }],
    ['negative bigint', -(2n ** 63n), { $bigint: '-9223372036854775808' }],
    ['integral float', new Float(2), { $float: '2.0' }],
    ['-0.0', new Float(-0), { $float: '-0.0' }],
    ['1.0e20', new Float(1e20), { $float: '1.0e20' }],
    ['printable charlist', new Charlist(b('hi')), { $charlist: 'hi' }],
    ['other charlist as integers', new Charlist(Uint8Array.from([0, 1, 200])), [0, 1, 200]],
    ['improper list', new ImproperList([1, 2], a('tail')), { $improper: [1, 2], tail: { $atom: 'tail' } }],
    ['map with atom keys', new ErlMap([a('body'), a('n')], [b('x'), 1]), { $atom_keys: true, body: 'x', n: 1 }],
    ['struct', new ErlMap([a('topic'), a('__struct__'), a('event')], [b('t'), a('Elixir.Phoenix.Socket.Broadcast'), b('e')]), { $struct: 'Elixir.Phoenix.Socket.Broadcast', topic: 't', event: 'e' }],
    ['map with mixed keys, in wire order', new ErlMap([b('a'), a('b'), 1], [1, 2, 3]), { $map: [['a', 1], [{ $atom: 'b' }, 2], [1, 3]] }],
    ['map whose string key starts with $', new ErlMap([b('$atom')], [b('x')]), { $map: [['$atom', 'x']] }],
    ['pid', pid, { $pid: { node: 'n1@host', id: 96, serial: 0, creation: 1733224000 } }],
    ['port with a 64-bit id', new Port(a('n1@host'), 2n ** 60n, 3), { $port: { node: 'n1@host', id: '1152921504606846976', creation: 3 } }],
    ['reference', new Reference(a('n1@host'), 2, [1, 2, 3]), { $ref: { node: 'n1@host', creation: 2, ids: [1, 2, 3] } }],
    ['export', new ExportFun(a('Elixir.Enum'), a('map'), 2), { $export: { module: 'Elixir.Enum', function: 'map', arity: 2 } }],
    ['local', new LocalTerm(Uint8Array.from([121, 1, 2])), { $local: 'eQEC' }],
  ];
  for (const [what, term, json] of cases) {
    it(`${what}`, () => expect(termToJson(term)).toEqual(json));
  }
});

describe('jsonToTerm inverts termToJson, through JSON text', () => {
  const terms: Array<[string, Term]> = [
    ['atoms and booleans', [a('ok'), a('true'), a('false'), a('nil'), a('Elixir.Chat.PubSub')]],
    ['tuples', new Tuple([1, new Tuple([]), new Tuple([a('x')])])],
    ['floats', [new Float(1.5), new Float(2), new Float(-0), new Float(1e300), new Float(5e-324)]],
    ['integers', [0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2n ** 53n, -(2n ** 100n)]],
    ['binaries', [b('text'), Buffer.from([0xc3, 0x28]), Buffer.alloc(0)]],
    ['bitstrings', [new BitBinary(Uint8Array.from([0xff, 0x80]), 1)]],
    ['charlists', [new Charlist(b('hello'))]],
    ['improper list', new ImproperList([a('a'), a('b')], a('c'))],
    ['maps of every shape', [new ErlMap([b('a')], [1]), new ErlMap([a('x')], [1]), new ErlMap([new Tuple([1]), []], [1, 2]), new ErlMap([a('__struct__'), a('first')], [a('Elixir.Range'), 1])]],
    ['pids, ports, refs, funs', [pid, new Port(a('nonode@nohost'), 5, 0), new Reference(a('nonode@nohost'), 0, [7, 8, 9]), new ExportFun(a('lists'), a('map'), 2), new Fun(a('erl_eval'), 1, '065361aa461590d1bdf1eb62d1a6eb08', 42, 42, 3316493, pid, [new Tuple([1])])]],
  ];
  for (const [what, t] of terms) {
    it(what, () => expect(roundTrip(t)).toEqual(t));
  }
});

describe('termJson: always valid JSON, and terminal-safe', () => {
  it('invalid UTF-8 and control characters', () => {
    const t = new ErlMap([b('k')], [[Buffer.from([0xff, 0xfe, 0x1b]), b('\u001b[2J\u0007\r'), b('a\u202eb\u0085c\u2028')]]);
    const s = termJson(t);
    expect(() => JSON.parse(s) as unknown).not.toThrow();
    expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    expect((JSON.parse(s) as { k: string[] }).k[2]).toBe('a\u202eb\u0085c\u2028');
  });
  it('__proto__ keys stay plain data', () => {
    const t = new ErlMap([b('__proto__'), b('constructor')], [new ErlMap([b('polluted')], [1]), 2]);
    const j = termToJson(t) as Record<string, Json>;
    expect(Object.keys(j)).toEqual(['__proto__', 'constructor']);
    expect(termJson(t)).toBe('{"__proto__":{"polluted":1},"constructor":2}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
