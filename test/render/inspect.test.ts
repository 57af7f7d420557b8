import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEtf } from '../../src/codec/etf/decode.js';
import {
  Atom,
  BitBinary,
  Charlist,
  ErlMap,
  ExportFun,
  Float,
  Fun,
  ImproperList,
  LocalTerm,
  Pid,
  Port,
  Reference,
  Tuple,
  type Term,
} from '../../src/codec/etf/term.js';
import { DocTooLargeError, RenderLimitError, type Palette } from '../../src/render/algebra.js';
import { InspectDepthError, inspectTerm } from '../../src/render/inspect.js';

const a = (name: string): Atom => new Atom(name);
const bin = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const map = (pairs: Array<[Term, Term]>): ErlMap => new ErlMap(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
const nonode = a('nonode@nohost');

/** IO.ANSI.syntax_colors/0 as escape prefixes. */
const SYNTAX: Palette = {
  atom: '\x1b[36m',
  binary: '\x1b[39m',
  boolean: '\x1b[35m',
  charlist: '\x1b[33m',
  list: '\x1b[39m',
  map: '\x1b[39m',
  nil: '\x1b[35m',
  number: '\x1b[33m',
  string: '\x1b[32m',
  tuple: '\x1b[39m',
  reset: '\x1b[0m',
};
const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

// ---------------------------------------------------------------------------------------------- the corpus

// test/render/fixtures/inspect-corpus.jsonl: ~700 terms (hand-picked and random) with the text Elixir 1.14.0
// printed for them, written by `elixir test/render/tools/gen-inspect-corpus.exs` (widths 80 and 30, some
// with syntax_colors: IO.ANSI.syntax_colors()).
interface CorpusCase {
  name: string;
  width: number;
  colors: boolean;
  etf: string;
  inspect: string;
}
const corpus: CorpusCase[] = readFileSync(join(import.meta.dirname, 'fixtures', 'inspect-corpus.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as CorpusCase);

describe('inspect corpus (Elixir 1.14.0 texts)', () => {
  it.each(corpus.map((c) => [`${c.name} w${c.width}${c.colors ? ' colors' : ''}`, c] as const))('%s', (_n, c) => {
    const term = decodeEtf(new Uint8Array(Buffer.from(c.etf, 'base64')));
    expect(inspectTerm(term, { width: c.width, colors: c.colors ? SYNTAX : undefined, charlists: 'quotes' })).toBe(c.inspect);
  });

  it('prints the same text with colours stripped as without colours', () => {
    for (const c of corpus) {
      const term = decodeEtf(new Uint8Array(Buffer.from(c.etf, 'base64')));
      expect(stripAnsi(inspectTerm(term, { width: c.width, colors: SYNTAX }))).toBe(inspectTerm(term, { width: c.width }));
    }
  });
});

// ---------------------------------------------------------------------------------------------- hand-built

describe('charlists', () => {
  // Elixir 1.14 (`elixir -e 'IO.inspect [~c"abc", ~c"it'"'"'s", ~c"a\"b"]'`): ['abc', 'it\'s', 'a"b'].
  // Elixir ≥ 1.15 writes the sigil, escaping `"` instead (elixir-lang/elixir#12074).
  const lists: Term[] = [new Charlist(bin('abc')), new Charlist(bin("it's")), [97, 34, 98], new Charlist(bin('#{x}'))];

  it("prints '…' with charlists: 'quotes'", () => {
    expect(inspectTerm(lists, { charlists: 'quotes' })).toBe(`['abc', 'it\\'s', 'a"b', '\\#{x}']`);
  });

  it('prints ~c"…" by default', () => {
    expect(inspectTerm(lists)).toBe('[~c"abc", ~c"it\'s", ~c"a\\"b", ~c"\\#{x}"]');
  });

  it('prints lists with a non-printable element as numbers', () => {
    expect(inspectTerm(new Charlist(new Uint8Array([97, 0, 98])))).toBe('[97, 0, 98]');
    expect(inspectTerm([97, 127])).toBe('[97, 127]');
  });

  it('prints MapSet elements as lists, as Inspect.MapSet does', () => {
    const set = map([
      [a('__struct__'), a('Elixir.MapSet')],
      [a('map'), map([[new Charlist(bin('ab')), []]])],
    ]);
    expect(inspectTerm(set)).toBe('MapSet.new([[97, 98]])');
  });
});

describe('shapes for what the wire cannot say', () => {
  it('prints local pids, ports and refs as IEx does, others with their node name', () => {
    expect(inspectTerm(new Pid(nonode, 96, 0, 0))).toBe('#PID<0.96.0>');
    expect(inspectTerm(new Pid(a('app@10.0.0.1'), 96, 2, 1))).toBe('#PID<app@10.0.0.1.96.2>');
    expect(inspectTerm(new Port(a('n1@host'), 5, 1))).toBe('#Port<n1@host.5>');
    expect(inspectTerm(new Reference(a('n1@host'), 1, [1, 2, 3]))).toBe('#Reference<n1@host.3.2.1>');
    expect(inspectTerm(new Reference(nonode, 0, [7, 8]))).toBe('#Reference<0.8.7>');
  });

  it('escapes a node name that would need it', () => {
    expect(inspectTerm(new Pid(a('evil\x1b[2J@host'), 1, 0, 0))).toBe('#PID<"evil\\e[2J@host".1.0>');
    expect(inspectTerm(new Pid(a('a b'), 1, 0, 0))).toBe('#PID<"a b".1.0>');
  });

  it('prints a node number instead when nodeNumber knows the node', () => {
    const nodeNumber = (n: string): number | undefined => (n === 'n1@host' ? 16913 : undefined);
    expect(inspectTerm(new Pid(a('n1@host'), 5, 1, 1), { nodeNumber })).toBe('#PID<16913.5.1>');
    expect(inspectTerm(new Pid(a('n2@host'), 5, 1, 1), { nodeNumber })).toBe('#PID<n2@host.5.1>');
  });

  it('prints funs as Elixir does when their module is not loaded', () => {
    // A fun of My.Mod, encoded by one VM and printed by another without My.Mod:
    //   #Function<0.100406040/1 in My.Mod>
    const fun = new Fun(a('Elixir.My.Mod'), 1, 'bf82631cc0337a70028f211408f1b0f0', 0, 0, 100406040, new Pid(nonode, 96, 0, 0), [1]);
    expect(inspectTerm(fun)).toBe('#Function<0.100406040/1 in My.Mod>');
    expect(inspectTerm(new ExportFun(a('Elixir.Enum'), a('map'), 2))).toBe('&Enum.map/2');
    expect(inspectTerm(new ExportFun(a('lists'), a('map'), 2))).toBe('&:lists.map/2');
    expect(inspectTerm(new ExportFun(a('m'), a('foo bar'), 1))).toBe('&:m."foo bar"/1');
  });

  it('prints LOCAL_EXT as an opaque placeholder', () => {
    expect(inspectTerm(new LocalTerm(new Uint8Array([121, 1, 2, 3])))).toBe('#LocalTerm<4 bytes>');
  });
});

describe('structs', () => {
  const broadcast = (extra: Array<[Term, Term]> = []): ErlMap =>
    map([
      [a('payload'), map([[bin('a'), 1]])],
      [a('event'), bin('e')],
      [a('__struct__'), a('Elixir.Phoenix.Socket.Broadcast')],
      [a('topic'), bin('t')],
      ...extra,
    ]);

  it('prints a known struct in definition order wherever __struct__ sits on the wire', () => {
    expect(inspectTerm(broadcast())).toBe('%Phoenix.Socket.Broadcast{topic: "t", event: "e", payload: %{"a" => 1}}');
  });

  it('prints a known struct with other keys as a map, keys sorted (Inspect.Any)', () => {
    expect(inspectTerm(broadcast([[a('x'), 1]]))).toBe(
      '%{\n  __struct__: Phoenix.Socket.Broadcast,\n  event: "e",\n  payload: %{"a" => 1},\n  topic: "t",\n  x: 1\n}',
    );
  });

  it('prints an unknown struct as a map, as Elixir does for a module it has not loaded', () => {
    expect(inspectTerm(map([[a('__struct__'), a('Elixir.Foo')], [a('Zed'), 1], [a('a'), 2]]))).toBe(
      '%{Zed: 1, __struct__: Foo, a: 2}',
    );
  });

  it('takes more struct definitions from options', () => {
    const t = map([[a('b'), 2], [a('__struct__'), a('Elixir.My.S')], [a('a'), 1]]);
    expect(inspectTerm(t, { structs: { 'My.S': ['b', 'a'] } })).toBe('%My.S{b: 2, a: 1}');
  });

  it('prints a MapSet with or without the version field (Elixir ≤ 1.14 / ≥ 1.15 senders)', () => {
    const inner = map([[2, []], [1, []]]);
    expect(inspectTerm(map([[a('__struct__'), a('Elixir.MapSet')], [a('map'), inner], [a('version'), 2]]))).toBe('MapSet.new([1, 2])');
    expect(inspectTerm(map([[a('__struct__'), a('Elixir.MapSet')], [a('map'), inner]]))).toBe('MapSet.new([1, 2])');
  });

  const time = (hour: number): ErlMap =>
    map([
      [a('__struct__'), a('Elixir.Time')],
      [a('calendar'), a('Elixir.Calendar.ISO')],
      [a('hour'), hour],
      [a('minute'), 2],
      [a('second'), 3],
      [a('microsecond'), new Tuple([120000, 3])],
    ]);

  it('prints calendar types as sigils, with the microsecond precision', () => {
    expect(inspectTerm(time(1))).toBe('~T[01:02:03.120]');
  });

  it('prints a calendar value Elixir could not format as the map it is', () => {
    // Elixir raises inside Inspect.Time and prints #Inspect.Error<…> around this map.
    expect(inspectTerm(time(25))).toBe(
      '%{\n  __struct__: Time,\n  calendar: Calendar.ISO,\n  hour: 25,\n  microsecond: {120000, 3},\n  minute: 2,\n  second: 3\n}',
    );
  });

  it('never writes a DateTime zone with control characters raw', () => {
    const dt = map([
      [a('__struct__'), a('Elixir.DateTime')],
      [a('calendar'), a('Elixir.Calendar.ISO')],
      [a('year'), 2024],
      [a('month'), 1],
      [a('day'), 2],
      [a('hour'), 3],
      [a('minute'), 4],
      [a('second'), 5],
      [a('microsecond'), new Tuple([0, 0])],
      [a('time_zone'), bin('Europe/\x1b[2JParis')],
      [a('zone_abbr'), bin('CET')],
      [a('utc_offset'), 3600],
      [a('std_offset'), 0],
    ]);
    const out = inspectTerm(dt);
    expect(out).toContain('time_zone: "Europe/\\e[2JParis"');
    expect(out).not.toContain('\x1b');
  });

  it('prints ranges, with a step unless it is 1 and the range ascends', () => {
    const range = (first: Term, last: Term, step?: Term): ErlMap =>
      map([[a('__struct__'), a('Elixir.Range')], [a('first'), first], [a('last'), last], ...(step === undefined ? [] : [[a('step'), step] as [Term, Term]])]);
    expect(inspectTerm(range(1, 10, 1))).toBe('1..10');
    expect(inspectTerm(range(1, 10, 2))).toBe('1..10//2');
    expect(inspectTerm(range(10, 1, -1))).toBe('10..1//-1');
    expect(inspectTerm(range(3, 1))).toBe('3..1//-1');
    expect(inspectTerm(range(new Float(1), 5, 1))).toBe('1.0..5');
  });
});

describe('binaries and bitstrings', () => {
  it('prints printable UTF-8 as a string with escapes, anything else as bytes', () => {
    expect(inspectTerm(bin('a\n"b"\\ #{c} \x1b é'))).toBe('"a\\n\\"b\\"\\\\ \\#{c} \\e é"');
    expect(inspectTerm(new Uint8Array([0xc0, 0x80]))).toBe('<<192, 128>>');
    expect(inspectTerm(new Uint8Array([]))).toBe('""');
  });

  it('prints bitstrings with the size of the last segment', () => {
    expect(inspectTerm(new BitBinary(new Uint8Array([0b10100000]), 3))).toBe('<<5::size(3)>>');
    expect(inspectTerm(new BitBinary(new Uint8Array([255, 0b10000000]), 1))).toBe('<<255, 1::size(1)>>');
  });
});

describe('terminal safety', () => {
  // Every byte 0..255 in atoms and in strings around printable text: the only control character that may
  // reach the terminal is the newline the layout itself writes.
  it('escapes every control character in atoms, strings and charlists', () => {
    for (let b = 0; b < 256; b++) {
      const ch = String.fromCharCode(b);
      const terms: Term[] = [a(`x${ch}y`), bin(`x${ch}y`), new Uint8Array([120, b, 121]), new Charlist(new Uint8Array([120, b, 121]))];
      for (const t of terms) {
        const out = inspectTerm(t, { colors: SYNTAX });
        // eslint-disable-next-line no-control-regex
        expect(stripAnsi(out)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      }
    }
  });
});

describe('maps', () => {
  it('sorts up to 32 keys in term order (integers before floats) and keeps the wire order above', () => {
    // Elixir 1.14: IO.inspect(%{1.0 => :a, 2 => 1, :z => 2, "s" => 3, 0 => 4})
    const small = map([[new Float(1), a('a')], [2, 1], [a('z'), 2], [bin('s'), 3], [0, 4]]);
    expect(inspectTerm(small)).toBe('%{0 => 4, 2 => 1, 1.0 => :a, :z => 2, "s" => 3}');
    const big = map(Array.from({ length: 33 }, (_, i) => [33 - i, i] as [Term, Term]));
    expect(inspectTerm(big, { width: Infinity })).toMatch(/^%\{33 => 0, 32 => 1, /);
  });
});

describe('deep and large terms', () => {
  const nest = (depth: number, wrap: (t: Term) => Term): Term => {
    let t: Term = 1;
    for (let i = 0; i < depth; i++) t = wrap(t);
    return t;
  };

  it('throws a typed error, never a RangeError, for a 100,000-deep list', () => {
    const t = nest(100_000, (x) => [x]);
    expect(() => inspectTerm(t)).toThrow(InspectDepthError);
    expect(() => inspectTerm(t)).toThrow(RenderLimitError);
  });

  it('prints a 100,000-deep tuple when asked to (no recursion anywhere)', () => {
    const out = inspectTerm(nest(100_000, (x) => new Tuple([x])), { maxDepth: Infinity });
    expect(out.length).toBe(200_001);
  });

  it('stops with DocTooLargeError when the text would be too long', () => {
    const t = nest(5_000, (x) => [x, 2]);
    expect(() => inspectTerm(t, { maxLength: 1_000_000 })).toThrow(DocTooLargeError);
  });

  it('prints a 1 MiB binary and a 100,000-element list in reasonable time', () => {
    const start = performance.now();
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 255);
    expect(inspectTerm(bytes).length).toBeGreaterThan(4_000_000);
    expect(inspectTerm(Array.from({ length: 100_000 }, (_, i) => i)).length).toBeGreaterThan(600_000);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it('prints a long improper list', () => {
    expect(inspectTerm(new ImproperList([1, 2], a('t')))).toBe('[1, 2 | :t]');
  });
});
