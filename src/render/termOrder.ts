/**
 * Erlang's exact term order (`erts_cmp` with `exact`), the order in which OTP ≤ 25 keeps the keys of a
 * map with up to 32 entries, and hence the order `inspect` prints them in:
 *
 *   number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring
 *
 * with every integer before every float ("exact": `2 < 1.0`), at every depth. Tuples compare by size, then
 * elements; maps by size, then keys (in this order), then values; lists element by element, the shorter
 * first, an improper tail compared as a term; bitstrings bit by bit, a prefix first; atoms by code point.
 *
 * Pids (serial, then id), ports and references compare on the node name first; the BEAM compares node
 * entries it alone knows, so keys from different nodes may order differently there.
 *
 * Iterative: an explicit stack of pending pairs, so deep keys cannot overflow the call stack.
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

const enum Rank {
  Integer = 0,
  Float = 1,
  Atom = 2,
  Reference = 3,
  Fun = 4,
  Port = 5,
  Pid = 6,
  Tuple = 7,
  Map = 8,
  Nil = 9,
  List = 10,
  Bitstring = 11,
  Local = 12,
}

function rank(t: Term): Rank {
  if (typeof t === 'number' || typeof t === 'bigint') return Rank.Integer;
  if (Array.isArray(t)) return t.length === 0 ? Rank.Nil : Rank.List;
  if (t instanceof Uint8Array) return Rank.Bitstring;
  switch (t.kind) {
    case 'float':
      return Rank.Float;
    case 'atom':
      return Rank.Atom;
    case 'reference':
      return Rank.Reference;
    case 'export':
    case 'fun':
      return Rank.Fun;
    case 'port':
      return Rank.Port;
    case 'pid':
      return Rank.Pid;
    case 'tuple':
      return Rank.Tuple;
    case 'map':
      return Rank.Map;
    case 'charlist':
      return t.bytes.length === 0 ? Rank.Nil : Rank.List;
    case 'improper_list':
      return Rank.List;
    case 'bitstring':
      return Rank.Bitstring;
    case 'local':
      return Rank.Local;
  }
}

/** -1, 0 or 1. */
export function compareTerms(a: Term, b: Term): number {
  const stack: Term[] = [b, a];
  while (stack.length > 0) {
    const x = stack.pop() as Term;
    const y = stack.pop() as Term;
    const c = compareShallow(x, y, stack);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Compares what can be compared at this level; pushes (y, x) pairs of sub-terms still to compare,
 * in reverse so that the first pair pops first.
 */
function compareShallow(x: Term, y: Term, stack: Term[]): number {
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) return rx < ry ? -1 : 1;
  switch (rx) {
    case Rank.Integer:
      return cmp(x as number | bigint, y as number | bigint);
    case Rank.Float:
      return cmp((x as Float).value, (y as Float).value);
    case Rank.Atom:
      return compareText((x as Atom).name, (y as Atom).name);
    case Rank.Nil:
      return 0;
    case Rank.Bitstring:
      return compareBits(x as Uint8Array | BitBinary, y as Uint8Array | BitBinary);
    case Rank.Tuple: {
      const xs = (x as Tuple).items;
      const ys = (y as Tuple).items;
      if (xs.length !== ys.length) return xs.length < ys.length ? -1 : 1;
      for (let i = xs.length - 1; i >= 0; i--) stack.push(ys[i] as Term, xs[i] as Term);
      return 0;
    }
    case Rank.List: {
      const [xs, xt] = listParts(x);
      const [ys, yt] = listParts(y);
      const n = Math.min(xs.length, ys.length);
      // Past the common prefix, what remains of each side is compared as a term (a list, [] or a tail).
      stack.push(rest(ys, n, yt), rest(xs, n, xt));
      for (let i = n - 1; i >= 0; i--) stack.push(ys[i] as Term, xs[i] as Term);
      return 0;
    }
    case Rank.Map: {
      const mx = x as ErlMap;
      const my = y as ErlMap;
      if (mx.size !== my.size) return mx.size < my.size ? -1 : 1;
      const ox = sortedIndexes(mx);
      const oy = sortedIndexes(my);
      for (let i = ox.length - 1; i >= 0; i--) {
        stack.push(my.values[oy[i] as number] as Term, mx.values[ox[i] as number] as Term);
      }
      for (let i = ox.length - 1; i >= 0; i--) {
        stack.push(my.keys[oy[i] as number] as Term, mx.keys[ox[i] as number] as Term);
      }
      return 0;
    }
    case Rank.Pid: {
      const p = x as Pid;
      const q = y as Pid;
      return compareText(p.node.name, q.node.name) || cmp(p.serial, q.serial) || cmp(p.id, q.id) || cmp(p.creation, q.creation);
    }
    case Rank.Port: {
      const p = x as Port;
      const q = y as Port;
      return compareText(p.node.name, q.node.name) || cmp(p.id, q.id) || cmp(p.creation, q.creation);
    }
    case Rank.Reference: {
      const p = x as Reference;
      const q = y as Reference;
      const c = compareText(p.node.name, q.node.name) || cmp(p.ids.length, q.ids.length);
      if (c !== 0) return c;
      for (let i = p.ids.length - 1; i >= 0; i--) {
        const d = cmp(p.ids[i] as number, q.ids[i] as number);
        if (d !== 0) return d;
      }
      return cmp(p.creation, q.creation);
    }
    case Rank.Fun:
      return compareFuns(x as ExportFun | Fun, y as ExportFun | Fun, stack);
    case Rank.Local:
      return compareBits((x as LocalTerm).bytes, (y as LocalTerm).bytes);
  }
}

function compareFuns(x: ExportFun | Fun, y: ExportFun | Fun, stack: Term[]): number {
  // Local funs before export funs, as the BEAM orders its fun types.
  if (x instanceof Fun && y instanceof ExportFun) return -1;
  if (x instanceof ExportFun && y instanceof Fun) return 1;
  if (x instanceof ExportFun && y instanceof ExportFun) {
    return compareText(x.module.name, y.module.name) || compareText(x.fun.name, y.fun.name) || cmp(x.arity, y.arity);
  }
  const f = x as Fun;
  const g = y as Fun;
  const c =
    compareText(f.module.name, g.module.name) ||
    cmp(f.oldIndex, g.oldIndex) ||
    cmp(f.oldUniq, g.oldUniq) ||
    cmp(f.free.length, g.free.length);
  if (c !== 0) return c;
  for (let i = f.free.length - 1; i >= 0; i--) stack.push(g.free[i] as Term, f.free[i] as Term);
  return 0;
}

function cmp(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code point order (UTF-16 comparison would misplace astral characters). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      if ((ca >= 0xd800 && ca <= 0xdfff) || (cb >= 0xd800 && cb <= 0xdfff)) {
        return cmp(a.codePointAt(i) as number, b.codePointAt(i) as number);
      }
      return ca < cb ? -1 : 1;
    }
  }
  return cmp(a.length, b.length);
}

function bitParts(t: Uint8Array | BitBinary): [Uint8Array, number] {
  return t instanceof Uint8Array ? [t, t.length * 8] : [t.bytes, t.bitLength];
}

function compareBits(x: Uint8Array | BitBinary, y: Uint8Array | BitBinary): number {
  const [a, abits] = bitParts(x);
  const [b, bbits] = bitParts(y);
  const common = Math.min(abits, bbits);
  const whole = common >> 3;
  for (let i = 0; i < whole; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const extra = common & 7;
  if (extra > 0) {
    const mask = (0xff << (8 - extra)) & 0xff;
    const d = ((a[whole] as number) & mask) - ((b[whole] as number) & mask);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return cmp(abits, bbits);
}

type ListLike = ArrayLike<Term>;

/** Elements and tail (`[]` for proper lists) of any list term. */
function listParts(t: Term): [ListLike, Term] {
  if (Array.isArray(t)) return [t, []];
  if (t instanceof Charlist) return [t.bytes as ListLike, []];
  const l = t as ImproperList;
  return [l.items, l.tail];
}

/** What is left of a list after `n` elements, as a term. */
function rest(items: ListLike, n: number, tail: Term): Term {
  if (n >= items.length) return tail;
  const remaining: Term[] = [];
  for (let i = n; i < items.length; i++) remaining.push(items[i] as Term);
  return tail instanceof Array && tail.length === 0 ? remaining : new ImproperList(remaining, tail);
}

const sortedCache = new WeakMap<ErlMap, number[]>();

/**
 * Indexes of `map`'s pairs in the order OTP 25 keeps them: term order for up to 32 keys; above that
 * (a HAMT, ordered by an internal hash) the wire order, which is that same order when the sender's
 * emulator hashed as OTP 25 does.
 */
export function sortedIndexes(map: ErlMap): number[] {
  let order = sortedCache.get(map);
  if (order === undefined) {
    order = map.keys.map((_, i) => i);
    if (map.size <= 32) {
      const keys = map.keys;
      order.sort((i, j) => compareTerms(keys[i] as Term, keys[j] as Term));
    }
    sortedCache.set(map, order);
  }
  return order;
}
