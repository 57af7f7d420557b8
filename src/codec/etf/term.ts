/**
 * The term model: what the ETF decoder produces and every printer reads.
 *
 * It is lossless — every distinction Erlang makes survives:
 *
 * | Erlang                         | JavaScript                                   |
 * |--------------------------------|----------------------------------------------|
 * | integer (fits ±2^53−1)         | `number` (always an integer value)           |
 * | integer (beyond ±2^53−1)       | `bigint`                                     |
 * | float                          | {@link Float} (boxed, so `1.0` ≠ `1`, `-0.0` kept) |
 * | atom (incl. true/false/nil)    | {@link Atom}                                 |
 * | binary                         | `Uint8Array` (a view into the payload: bytes, not text) |
 * | bitstring (not whole bytes)    | {@link BitBinary}                            |
 * | proper list, `[]`              | `Term[]` (a plain array)                     |
 * | list written as STRING_EXT     | {@link Charlist} (bytes; means the same list as `Term[]` of those integers) |
 * | improper list                  | {@link ImproperList}                         |
 * | tuple                          | {@link Tuple}                                |
 * | map                            | {@link ErlMap} (wire order, any term as key) |
 * | pid / port / reference         | {@link Pid} / {@link Port} / {@link Reference} |
 * | `fun M:F/A`                    | {@link ExportFun}                            |
 * | local fun                      | {@link Fun}                                  |
 * | LOCAL_EXT                      | {@link LocalTerm} (opaque bytes)             |
 *
 * Integers: a given integer value always has one representation — `number` when
 * `Number.isSafeInteger`, `bigint` otherwise — whichever tag carried it.
 *
 * Every class carries a `kind` on its prototype, so printers switch on `t.kind` exhaustively after
 * handling the primitives (`number`, `bigint`), arrays and `Uint8Array`.
 */

export type Term =
  | number
  | bigint
  | Float
  | Atom
  | Uint8Array
  | BitBinary
  | Term[]
  | Charlist
  | ImproperList
  | Tuple
  | ErlMap
  | Pid
  | Port
  | Reference
  | ExportFun
  | Fun
  | LocalTerm;

export type TermKind =
  | 'integer'
  | 'float'
  | 'atom'
  | 'binary'
  | 'bitstring'
  | 'list'
  | 'charlist'
  | 'improper_list'
  | 'tuple'
  | 'map'
  | 'pid'
  | 'port'
  | 'reference'
  | 'export'
  | 'fun'
  | 'local';

/** A float. Boxed so that integral floats (`2.0`) and `-0.0` stay floats. */
export class Float {
  declare readonly kind: 'float';
  constructor(readonly value: number) {}
}

/** An atom. `name` is the decoded text (Latin-1 or UTF-8 as the tag said). */
export class Atom {
  declare readonly kind: 'atom';
  constructor(readonly name: string) {}
}

/** A bitstring whose length is not a whole number of bytes: `bits` (1..7) of the last byte are used. */
export class BitBinary {
  declare readonly kind: 'bitstring';
  /** `bytes` holds ceil(bitLength/8) bytes; the unused low bits of the last byte are zero. */
  constructor(
    readonly bytes: Uint8Array,
    readonly bits: number,
  ) {}
  get bitLength(): number {
    return (this.bytes.length - 1) * 8 + this.bits;
  }
}

/**
 * A list of integers 0..255 as STRING_EXT carries it. It is the same Erlang value as the
 * plain list of those integers; printers decide how to show it (Elixir: `~c"..."` when printable).
 */
export class Charlist {
  declare readonly kind: 'charlist';
  constructor(readonly bytes: Uint8Array) {}
}

/** `[a, b | tail]`: `items` is non-empty and `tail` is not `[]`. */
export class ImproperList {
  declare readonly kind: 'improper_list';
  constructor(
    readonly items: Term[],
    readonly tail: Term,
  ) {}
}

export class Tuple {
  declare readonly kind: 'tuple';
  constructor(readonly items: Term[]) {}
}

/** A map, pairs in wire order. `keys[i]` maps to `values[i]`. */
export class ErlMap {
  declare readonly kind: 'map';
  constructor(
    readonly keys: Term[],
    readonly values: Term[],
  ) {}
  get size(): number {
    return this.keys.length;
  }
  /** The value under the atom key `name`, or `undefined`. Linear; maps on the wire are small. */
  getAtom(name: string): Term | undefined {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k instanceof Atom && k.name === name) return this.values[i];
    }
    return undefined;
  }
}

/** A process identifier. `creation` is 32-bit (NEW_PID_EXT) or 2-bit (old PID_EXT). */
export class Pid {
  declare readonly kind: 'pid';
  constructor(
    readonly node: Atom,
    readonly id: number,
    readonly serial: number,
    readonly creation: number,
  ) {}
}

/** A port identifier. `id` is a `bigint` only when V4_PORT_EXT carried more than 53 bits. */
export class Port {
  declare readonly kind: 'port';
  constructor(
    readonly node: Atom,
    readonly id: number | bigint,
    readonly creation: number,
  ) {}
}

/** A reference. `ids` in wire order (ids[0] is the least significant word, printed last). */
export class Reference {
  declare readonly kind: 'reference';
  constructor(
    readonly node: Atom,
    readonly creation: number,
    readonly ids: readonly number[],
  ) {}
}

/** `fun Module:Function/Arity` (EXPORT_EXT). */
export class ExportFun {
  declare readonly kind: 'export';
  constructor(
    readonly module: Atom,
    readonly fun: Atom,
    readonly arity: number,
  ) {}
}

/** A local fun (NEW_FUN_EXT). The function's name is not on the wire. */
export class Fun {
  declare readonly kind: 'fun';
  constructor(
    readonly module: Atom,
    readonly arity: number,
    /** 16 bytes, the MD5 of the module's code, as 32 lowercase hex digits. */
    readonly uniq: string,
    readonly index: number,
    readonly oldIndex: number,
    readonly oldUniq: number,
    readonly pid: Pid,
    readonly free: Term[],
  ) {}
}

/** LOCAL_EXT (tag 121): only meaningful to the node that made it; kept as its bytes (tag included). */
export class LocalTerm {
  declare readonly kind: 'local';
  constructor(readonly bytes: Uint8Array) {}
}

for (const [cls, kind] of [
  [Float, 'float'],
  [Atom, 'atom'],
  [BitBinary, 'bitstring'],
  [Charlist, 'charlist'],
  [ImproperList, 'improper_list'],
  [Tuple, 'tuple'],
  [ErlMap, 'map'],
  [Pid, 'pid'],
  [Port, 'port'],
  [Reference, 'reference'],
  [ExportFun, 'export'],
  [Fun, 'fun'],
  [LocalTerm, 'local'],
] as const) {
  Object.defineProperty(cls.prototype, 'kind', { value: kind, enumerable: false });
}
