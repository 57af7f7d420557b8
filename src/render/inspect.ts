/**
 * Terms printed as Elixir prints them: `IO.inspect(term, pretty: true, limit: :infinity,
 * printable_limit: :infinity, width: 80)`, byte for byte as Elixir 1.14 on OTP 25 (the `Inspect`
 * implementations ported from its bytecode, laid out by algebra.ts).
 *
 * What a decoder on another machine cannot know, and what is printed instead:
 *
 * | term | Elixir prints | redis-print prints |
 * |------|---------------|--------------------|
 * | pid | `#PID<0.96.0>` (0 = local node, N = an index private to the printing VM) | `#PID<0.96.0>` for `nonode@nohost`, else `#PID<app@host.96.0>`: the node name in place of the index (read it from the right: the last two numbers are id and serial) |
 * | port | `#Port<0.5>` | `#Port<0.5>` / `#Port<app@host.5>` |
 * | reference | `#Reference<0.1.2.3>` (words most significant first) | the same, `#Reference<app@host.1.2.3>` for other nodes |
 * | local fun | `#Function<3.1234/1 in Mod.fun/2>` when `Mod` is loaded | `#Function<3.1234/1 in Mod>`: what Elixir prints when `Mod` is not loaded (the function name is not on the wire); index is NEW_FUN_EXT's Index, 1234 its OldUniq |
 * | LOCAL_EXT | the term it stands for, on the node that made it | `#LocalTerm<N bytes>` |
 * | struct | `%Mod{…}` when `Mod` is loaded, else `%{__struct__: Mod, …}` | `%Mod{…}` for the structs in {@link KNOWN_STRUCTS} (and `options.structs`) when the keys match exactly, else `%{__struct__: Mod, …}` |
 *
 * A node name that needs escaping prints quoted and escaped (`#PID<"a\nb".1.0>`). `options.nodeNumber` can
 * supply the numbers a given VM would print instead (the fixture tests pass the ones Elixir printed).
 *
 * Map keys: Elixir 1.14 prints `:maps.to_list/1` order and sorts nothing. OTP ≤ 25 keeps a map of up to
 * 32 keys in term order, so those print sorted (termOrder.ts). A larger map is a hash trie whose order the
 * printing VM decides (for atom keys, from its own atom table); it prints in wire order, which is the
 * sender's iteration order (not so for `[deterministic]` encodings, which sort).
 *
 * Built-in structs print as their `Inspect` implementations do (`MapSet.new([…])`, `~D[…]`, `~T[…]`,
 * `~N[…]`, `~U[…]`, `#DateTime<…>`, `1..10//2`) when their fields are well-formed and their calendar is
 * `Calendar.ISO`; otherwise (where Elixir would raise inside inspect) they print as plain maps. A
 * `#DateTime<…>` whose zone name or abbreviation is not printable ASCII prints as a map, so no control
 * character of a payload is written raw.
 *
 * Charlists: `~c"…"` (Elixir ≥ 1.15) by default, `'…'` (≤ 1.14) with `charlists: 'quotes'`.
 *
 * Deep terms: the doc is built with an explicit stack (no recursion); nesting beyond `maxDepth`
 * containers throws {@link InspectDepthError}, output beyond `maxLength` a `DocTooLargeError` — both
 * `RenderLimitError`s.
 */
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
} from '../codec/etf/term.js';
import {
  color,
  concat,
  containerDoc,
  flexBreak,
  format,
  group,
  nest,
  RenderLimitError,
  type ColorKey,
  type Doc,
  type Palette,
} from './algebra.js';
import {
  escapeText,
  inspectAtomKey,
  inspectAtomLiteral,
  inspectAtomRemoteCall,
  isAsciiPrintable,
  printableText,
} from './atomText.js';
import { inspectFloat } from './float.js';
import { compareTerms, sortedIndexes } from './termOrder.js';

export interface InspectOptions {
  /** Columns (`Infinity` for none). Default 80. */
  readonly width?: number;
  /** Escape prefixes per syntax key (IO.ANSI.syntax_colors); `undefined` (default): no colour. */
  readonly colors?: Palette | undefined;
  /** `sigil` (default): `~c"abc"` as Elixir ≥ 1.15; `quotes`: `'abc'` as Elixir ≤ 1.14. */
  readonly charlists?: 'sigil' | 'quotes';
  /** More structs to print as `%Mod{…}`: alias (no `Elixir.`) → fields in definition order. */
  readonly structs?: Readonly<Record<string, readonly string[]>>;
  /** Deepest container nesting printed. Default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
  /** Longest output, in UTF-16 code units. Default algebra's 64 Mi. */
  readonly maxLength?: number;
  /**
   * The number to print for a node in `#PID<N.…>`, `#Port<N.…>`, `#Reference<N.…>`, as a VM that knows the
   * node would (tests pass the numbers Elixir printed). `undefined`: the default shapes above.
   */
  readonly nodeNumber?: (node: string) => number | undefined;
}

export const DEFAULT_MAX_DEPTH = 10_000;

/** Structs printed as `%Mod{…}`, fields in their `defstruct` order. */
export const KNOWN_STRUCTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'Phoenix.Socket.Broadcast': ['topic', 'event', 'payload'],
  'Phoenix.Socket.Message': ['topic', 'event', 'payload', 'ref', 'join_ref'],
  'Phoenix.Socket.Reply': ['topic', 'status', 'payload', 'ref', 'join_ref'],
  'Phoenix.Tracker.State': ['replica', 'context', 'clouds', 'values', 'pids', 'mode', 'delta', 'replicas', 'range'],
});

/** Thrown when a term nests more containers than `maxDepth`. */
export class InspectDepthError extends RenderLimitError {
  override readonly name = 'InspectDepthError';
  constructor(readonly maxDepth: number) {
    super(`nested deeper than ${maxDepth} levels; too deep to print`);
  }
}

/**
 * `term` as IO.inspect prints it (without the trailing newline).
 *
 * @throws {InspectDepthError} when containers nest deeper than `maxDepth` (default 10,000).
 * @throws {DocTooLargeError} when the text would exceed `maxLength` (default 64 Mi code units).
 */
export function inspectTerm(term: Term, options: InspectOptions = {}): string {
  const width = options.width ?? 80;
  return format(inspectDoc(term, options), width, options.maxLength === undefined ? {} : { maxLength: options.maxLength });
}

/** The algebra doc `IO.inspect` formats: `group(to_doc(term, opts))`. @throws {InspectDepthError} */
export function inspectDoc(term: Term, options: InspectOptions = {}): Doc {
  const ctx = new Context(options);
  const first = step(term, ctx, false, 0);
  if (!(first instanceof Frame)) return group(first);
  const stack: Frame[] = [first];
  for (;;) {
    const f = stack[stack.length - 1] as Frame;
    if (f.next < f.children.length) {
      const r = step(f.children[f.next++] as Term, ctx, f.asLists, f.depth + 1);
      if (r instanceof Frame) stack.push(r);
      else f.docs.push(r);
      continue;
    }
    stack.pop();
    const doc = f.finish(f.docs);
    const parent = stack[stack.length - 1];
    if (parent === undefined) return group(doc);
    parent.docs.push(doc);
  }
}

/** A container whose children are being turned into docs; `finish` assembles them. */
class Frame {
  next = 0;
  readonly docs: Doc[] = [];
  constructor(
    readonly children: ArrayLike<Term>,
    readonly asLists: boolean,
    readonly depth: number,
    readonly finish: (docs: readonly Doc[]) => Doc,
  ) {}
}

let knownStructMap: ReadonlyMap<string, readonly string[]> | undefined;

class Context {
  readonly palette: Palette | undefined;
  readonly sigil: boolean;
  readonly maxDepth: number;
  readonly structs: ReadonlyMap<string, readonly string[]>;
  readonly nodeNumber: ((node: string) => number | undefined) | undefined;
  private readonly byteDocs: Doc[] = [];
  private readonly byteCommaDocs: Doc[] = [];
  readonly flex = flexBreak(' ');

  constructor(o: InspectOptions) {
    this.palette = o.colors;
    this.sigil = (o.charlists ?? 'sigil') === 'sigil';
    this.maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.nodeNumber = o.nodeNumber;
    if (o.structs === undefined) {
      // The common case, built once: a Map per inspect call showed up in profiles.
      knownStructMap ??= new Map(Object.entries(KNOWN_STRUCTS).map(([name, fields]) => ['Elixir.' + name, fields]));
      this.structs = knownStructMap;
    } else {
      const structs = new Map<string, readonly string[]>();
      for (const [name, fields] of Object.entries(KNOWN_STRUCTS)) structs.set('Elixir.' + name, fields);
      for (const [name, fields] of Object.entries(o.structs)) structs.set('Elixir.' + name, fields);
      this.structs = structs;
    }
  }

  color(doc: Doc, key: ColorKey): Doc {
    return color(doc, key, this.palette);
  }

  /** The doc of a byte inside `<<…>>`, and of it followed by `,` (cached: a binary has many). */
  byte(b: number, comma: boolean): Doc {
    const cache = comma ? this.byteCommaDocs : this.byteDocs;
    let d = cache[b];
    if (d === undefined) {
      const n = this.color(String(b), 'number');
      cache[b] = d = comma ? concat(n, ',') : n;
    }
    return d;
  }
}

/** The doc of a term, or a frame when it has children to render first. */
function step(t: Term, ctx: Context, asLists: boolean, depth: number): Doc | Frame {
  switch (typeof t) {
    case 'number':
    case 'bigint':
      return ctx.color(t.toString(), 'number');
  }
  if (Array.isArray(t)) return listDoc(t, ctx, asLists, depth);
  if (t instanceof Uint8Array) {
    const text = printableText(t);
    if (text !== undefined) return ctx.color('"' + escapeText(text, '"') + '"', 'string');
    return bitsDoc(t, t.length, 0, ctx);
  }
  switch (t.kind) {
    case 'float':
      return ctx.color(inspectFloat((t as Float).value), 'number');
    case 'atom':
      return atomDoc((t as Atom).name, ctx);
    case 'bitstring': {
      const b = t as BitBinary;
      if (b.bits === 8) return step(b.bytes, ctx, asLists, depth);
      return bitsDoc(b.bytes, b.bytes.length - 1, b.bits, ctx);
    }
    case 'charlist':
      return charlistDoc((t as Charlist).bytes, ctx, asLists);
    case 'improper_list': {
      const l = t as ImproperList;
      checkDepth(depth, ctx);
      const children = [...l.items, l.tail];
      return new Frame(children, asLists, depth, (docs) =>
        containerDoc(ctx.color('[', 'list'), docs.slice(0, -1), ctx.color(']', 'list'), { separator: ctx.color(',', 'list') }, docs[docs.length - 1]),
      );
    }
    case 'tuple': {
      checkDepth(depth, ctx);
      return new Frame((t as Tuple).items, asLists, depth, (docs) =>
        containerDoc(ctx.color('{', 'tuple'), docs, ctx.color('}', 'tuple'), { separator: ctx.color(',', 'tuple'), break: 'flex' }),
      );
    }
    case 'map':
      checkDepth(depth, ctx);
      return mapOrStructDoc(t as ErlMap, ctx, asLists, depth);
    case 'pid': {
      const p = t as Pid;
      return `#PID<${nodePart(p.node, ctx)}.${p.id}.${p.serial}>`;
    }
    case 'port': {
      const p = t as Port;
      return `#Port<${nodePart(p.node, ctx)}.${p.id.toString()}>`;
    }
    case 'reference': {
      const r = t as Reference;
      return `#Reference<${nodePart(r.node, ctx)}.${[...r.ids].reverse().join('.')}>`;
    }
    case 'export': {
      const f = t as ExportFun;
      return `&${inspectAtomLiteral(f.module.name)}.${inspectAtomRemoteCall(f.fun.name)}/${f.arity}`;
    }
    case 'fun': {
      const f = t as Fun;
      return `#Function<${f.index}.${f.oldUniq}/${f.arity} in ${inspectAtomLiteral(f.module.name)}>`;
    }
    case 'local':
      return `#LocalTerm<${(t as LocalTerm).bytes.length} bytes>`;
  }
}

function checkDepth(depth: number, ctx: Context): void {
  if (depth > ctx.maxDepth) throw new InspectDepthError(ctx.maxDepth);
}

function atomDoc(name: string, ctx: Context): Doc {
  const key: ColorKey = name === 'true' || name === 'false' ? 'boolean' : name === 'nil' ? 'nil' : 'atom';
  return ctx.color(inspectAtomLiteral(name), key);
}

/** A node name inside `#PID<…>`: `0` for a node-less VM, the name itself, or quoted when it needs escapes. */
function nodePart(node: Atom, ctx: Context): string {
  const name = node.name;
  const n = ctx.nodeNumber?.(name);
  if (n !== undefined) return String(n);
  if (name === 'nonode@nohost') return '0';
  const escaped = escapeText(name, '"');
  return escaped === name && name !== '' && !/[\s<>]/.test(name) ? name : `"${escaped}"`;
}

// ---------------------------------------------------------------------------------------------- bitstrings

/**
 * `Inspect.BitString.inspect_bitstring/2`: `<<1, 2, 3>>` (flex breaks, nested 2), with `bits` (1..7) more
 * bits after `whole` bytes printed as `n::size(bits)`.
 */
function bitsDoc(bytes: Uint8Array, whole: number, bits: number, ctx: Context): Doc {
  if (whole === 0 && bits === 0) return ctx.color('<<>>', 'binary');
  let acc: Doc;
  let i: number;
  if (bits > 0) {
    const value = (bytes[whole] as number) >> (8 - bits);
    acc = concat(ctx.color(String(value), 'number'), `::size(${bits})`);
    i = whole - 1;
  } else {
    acc = ctx.byte(bytes[whole - 1] as number, false);
    i = whole - 2;
  }
  for (; i >= 0; i--) acc = concat(ctx.byte(bytes[i] as number, true), concat(ctx.flex, acc));
  return group(concat(concat(ctx.color('<<', 'binary'), nest(acc, 2)), ctx.color('>>', 'binary')));
}

// ---------------------------------------------------------------------------------------------- lists

function charlistText(text: string, ctx: Context): Doc {
  const s = ctx.sigil ? '~c"' + escapeText(text, '"') + '"' : "'" + escapeText(text, "'") + "'";
  return ctx.color(s, 'charlist');
}

function charlistDoc(bytes: Uint8Array, ctx: Context, asLists: boolean): Doc {
  if (bytes.length === 0) return ctx.color('[]', 'list');
  if (!asLists && bytes.every(isAsciiPrintable)) {
    return charlistText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), ctx);
  }
  const docs: Doc[] = Array.from(bytes, (b) => ctx.color(String(b), 'number'));
  return containerDoc(ctx.color('[', 'list'), docs, ctx.color(']', 'list'), { separator: ctx.color(',', 'list') });
}

function isPrintableList(list: readonly Term[]): boolean {
  for (const x of list) if (typeof x !== 'number' || !isAsciiPrintable(x)) return false;
  return true;
}

/** `Inspect.List.keyword?/1`: 2-tuples whose first element is an atom not starting with `Elixir.`. */
function isKeyword(list: readonly Term[]): boolean {
  for (const x of list) {
    if (!(x instanceof Tuple) || x.items.length !== 2) return false;
    const k = x.items[0];
    if (!(k instanceof Atom) || k.name.startsWith('Elixir.')) return false;
  }
  return true;
}

function keywordPair(key: string, value: Doc, ctx: Context): Doc {
  return concat(ctx.color(inspectAtomKey(key), 'atom'), concat(' ', value));
}

function listDoc(list: Term[], ctx: Context, asLists: boolean, depth: number): Doc | Frame {
  if (list.length === 0) return ctx.color('[]', 'list');
  if (!asLists && isPrintableList(list)) {
    return charlistText(Buffer.from(list as number[]).toString('latin1'), ctx);
  }
  checkDepth(depth, ctx);
  const open = ctx.color('[', 'list');
  const close = ctx.color(']', 'list');
  const separator = ctx.color(',', 'list');
  if (isKeyword(list)) {
    const pairs = list as Tuple[];
    const values = pairs.map((p) => p.items[1] as Term);
    return new Frame(values, asLists, depth, (docs) =>
      containerDoc(
        open,
        docs.map((d, i) => keywordPair(((pairs[i] as Tuple).items[0] as Atom).name, d, ctx)),
        close,
        { separator, break: 'strict' },
      ),
    );
  }
  return new Frame(list, asLists, depth, (docs) => containerDoc(open, docs, close, { separator }));
}

// ---------------------------------------------------------------------------------------------- maps

function mapOrStructDoc(map: ErlMap, ctx: Context, asLists: boolean, depth: number): Doc | Frame {
  const struct = map.getAtom('__struct__');
  if (struct instanceof Atom) {
    const special = structDoc(map, struct.name, ctx, asLists, depth);
    if (special !== undefined) return special;
  }
  return mapDoc(map, ctx, asLists, depth);
}

/** `Inspect.Map.inspect/2`: `%{a: 1}` when every key is a keyword key, else `%{"a" => 1}`. */
function mapDoc(map: ErlMap, ctx: Context, asLists: boolean, depth: number): Frame {
  const order = sortedIndexes(map);
  const keys = order.map((i) => map.keys[i] as Term);
  const open = ctx.color('%{', 'map');
  const close = ctx.color('}', 'map');
  const separator = ctx.color(',', 'map');
  const keyword = keys.every((k) => k instanceof Atom && !k.name.startsWith('Elixir.'));
  if (keyword) {
    return new Frame(
      order.map((i) => map.values[i] as Term),
      asLists,
      depth,
      (docs) =>
        containerDoc(open, docs.map((d, j) => keywordPair((keys[j] as Atom).name, d, ctx)), close, { separator, break: 'strict' }),
    );
  }
  const children: Term[] = [];
  for (const i of order) children.push(map.keys[i] as Term, map.values[i] as Term);
  const arrow = ctx.color(' => ', 'map');
  return new Frame(children, asLists, depth, (docs) => {
    const pairs: Doc[] = [];
    for (let j = 0; j < docs.length; j += 2) pairs.push(concat(concat(docs[j] as Doc, arrow), docs[j + 1] as Doc));
    return containerDoc(open, pairs, close, { separator, break: 'strict' });
  });
}

/** The `Inspect` implementation a struct module gets, or `undefined` to print it as a map. */
function structDoc(map: ErlMap, module: string, ctx: Context, asLists: boolean, depth: number): Doc | Frame | undefined {
  switch (module) {
    case 'Elixir.MapSet':
      return mapSetDoc(map, depth);
    case 'Elixir.Range':
      return rangeDoc(map, ctx, asLists, depth);
    case 'Elixir.Date':
    case 'Elixir.Time':
    case 'Elixir.NaiveDateTime':
    case 'Elixir.DateTime': {
      const text = calendarText(map, module);
      return text === undefined ? undefined : text;
    }
  }
  const fields = ctx.structs.get(module);
  if (fields === undefined || !hasExactKeys(map, fields)) return undefined;
  const open = ctx.color('%' + inspectAtomLiteral(module) + '{', 'map');
  const close = ctx.color('}', 'map');
  const separator = ctx.color(',', 'map');
  return new Frame(
    fields.map((f) => map.getAtom(f) as Term),
    asLists,
    depth,
    (docs) => containerDoc(open, docs.map((d, i) => keywordPair(fields[i] as string, d, ctx)), close, { separator, break: 'strict' }),
  );
}

/** The map's keys are exactly `__struct__` and `fields` (Inspect.Any compares the key sets). */
function hasExactKeys(map: ErlMap, fields: readonly string[]): boolean {
  if (map.size !== fields.length + 1) return false;
  const want = new Set(fields);
  want.add('__struct__');
  for (const k of map.keys) {
    if (!(k instanceof Atom) || !want.delete(k.name)) return false;
  }
  return want.size === 0;
}

/** `Inspect.MapSet`: `MapSet.new([…])` of the inner map's keys, charlists as lists (1.14 has `version` too). */
function mapSetDoc(map: ErlMap, depth: number): Frame | undefined {
  const inner = map.getAtom('map');
  if (!(inner instanceof ErlMap)) return undefined;
  const elements = sortedIndexes(inner).map((i) => inner.keys[i] as Term);
  return new Frame([elements], true, depth, (docs) => concat(['MapSet.new(', docs[0] as Doc, ')']));
}

/** `Inspect.Range`: `first..last`, or `first..last//step` unless the step is 1 and the range ascends. */
function rangeDoc(map: ErlMap, ctx: Context, asLists: boolean, depth: number): Frame | undefined {
  const first = map.getAtom('first');
  const last = map.getAtom('last');
  if (first === undefined || last === undefined) return undefined;
  let step = map.getAtom('step');
  // A range from before Elixir 1.12 has no step: Inspect.Range derives it.
  if (step === undefined) step = compare(first, last) <= 0 ? 1 : -1;
  const plain = step === 1 && compare(last, first) >= 0;
  const children = plain ? [first, last] : [first, last, step];
  return new Frame(children, asLists, depth, (docs) =>
    concat(plain ? [docs[0] as Doc, '..', docs[1] as Doc] : [docs[0] as Doc, '..', docs[1] as Doc, '//', docs[2] as Doc]),
  );
}

/** Erlang's `<`/`>=`: numbers by value (1 == 1.0), everything else in term order. */
function compare(a: Term, b: Term): number {
  const x = typeof a === 'number' || typeof a === 'bigint' ? a : a instanceof Float ? a.value : undefined;
  const y = typeof b === 'number' || typeof b === 'bigint' ? b : b instanceof Float ? b.value : undefined;
  if (x !== undefined && y !== undefined) {
    if (typeof x === typeof y) return x < y ? -1 : x > y ? 1 : 0;
    const fx = Number(x);
    const fy = Number(y);
    return fx < fy ? -1 : fx > fy ? 1 : 0;
  }
  return compareTerms(a, b);
}

// ---------------------------------------------------------------------------------------------- calendar

function int(t: Term | undefined): bigint | undefined {
  return typeof t === 'number' ? BigInt(t) : typeof t === 'bigint' ? t : undefined;
}

function inRange(v: bigint | undefined, lo: number, hi: number): v is bigint {
  return v !== undefined && v >= BigInt(lo) && v <= BigInt(hi);
}

/** Calendar.ISO's `zero_pad/2`. */
function zeroPad(v: bigint, count: number): string {
  return v < 0n ? '-' + zeroPad(-v, count) : v.toString().padStart(count, '0');
}

function dateText(map: ErlMap): string | undefined {
  const y = int(map.getAtom('year'));
  const m = int(map.getAtom('month'));
  const d = int(map.getAtom('day'));
  if (y === undefined || m === undefined || d === undefined) return undefined;
  return `${zeroPad(y, 4)}-${zeroPad(m, 2)}-${zeroPad(d, 2)}`;
}

/** Calendar.ISO `time_to_string/4`, with its guards: out-of-range fields raise in Elixir. */
function timeText(map: ErlMap): string | undefined {
  const h = int(map.getAtom('hour'));
  const mi = int(map.getAtom('minute'));
  const s = int(map.getAtom('second'));
  const us = map.getAtom('microsecond');
  if (!inRange(h, 0, 23) || !inRange(mi, 0, 59) || !inRange(s, 0, 59)) return undefined;
  if (!(us instanceof Tuple) || us.items.length !== 2) return undefined;
  const value = int(us.items[0]);
  const precision = int(us.items[1]);
  if (!inRange(value, 0, 999_999) || !inRange(precision, 0, 6)) return undefined;
  const base = `${zeroPad(h, 2)}:${zeroPad(mi, 2)}:${zeroPad(s, 2)}`;
  return precision === 0n ? base : base + '.' + zeroPad(value, 6).slice(0, Number(precision));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** `~D[…]`, `~T[…]`, `~N[…]`, `~U[…]`, `#DateTime<…>` for Calendar.ISO values; `undefined` otherwise. */
function calendarText(map: ErlMap, module: string): string | undefined {
  const calendar = map.getAtom('calendar');
  if (!(calendar instanceof Atom) || calendar.name !== 'Elixir.Calendar.ISO') return undefined;
  switch (module) {
    case 'Elixir.Date': {
      const date = dateText(map);
      return date === undefined ? undefined : `~D[${date}]`;
    }
    case 'Elixir.Time': {
      const time = timeText(map);
      return time === undefined ? undefined : `~T[${time}]`;
    }
    case 'Elixir.NaiveDateTime': {
      const date = dateText(map);
      const time = timeText(map);
      return date === undefined || time === undefined ? undefined : `~N[${date} ${time}]`;
    }
    default: {
      const date = dateText(map);
      const time = timeText(map);
      const zone = map.getAtom('time_zone');
      const abbr = map.getAtom('zone_abbr');
      const utc = int(map.getAtom('utc_offset'));
      const std = int(map.getAtom('std_offset'));
      if (date === undefined || time === undefined || utc === undefined || std === undefined) return undefined;
      if (!(zone instanceof Uint8Array) || !(abbr instanceof Uint8Array)) return undefined;
      const zoneText = Buffer.from(zone.buffer, zone.byteOffset, zone.byteLength).toString('latin1');
      const abbrText = Buffer.from(abbr.buffer, abbr.byteOffset, abbr.byteLength).toString('latin1');
      // Elixir writes these binaries raw; anything but printable ASCII is left to the escaping map form.
      if (!PRINTABLE_ASCII.test(zoneText) || !PRINTABLE_ASCII.test(abbrText)) return undefined;
      if (utc === 0n && std === 0n && zoneText === 'Etc/UTC') return `~U[${date} ${time}Z]`;
      const total = utc + std;
      const secs = total < 0n ? -total : total;
      const offset = `${total < 0n ? '-' : '+'}${zeroPad(secs / 3600n, 2)}:${zeroPad((secs % 3600n) / 60n, 2)}`;
      const suffix = zoneText === 'Etc/UTC' ? '' : ` ${abbrText} ${zoneText}`;
      return `#DateTime<${date} ${time}${offset}${suffix}>`;
    }
  }
}
