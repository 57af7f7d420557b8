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
import { decodeUtf8 } from '../codec/utf8.js';
import { RenderLimitError } from './algebra.js';
import { formatFloat } from './float.js';
import { BIDI_AND_SEPARATOR_CLASS, DEL_AND_C1_CLASS, jsonSafe } from './text.js';

/**
 * The one place where Erlang terms fold into JSON (README, "JSON mapping"). Plain where JSON has the type,
 * tagged (an object whose first key starts with `$`) where it does not, so nothing is conflated:
 *
 * | term                                  | JSON                                              |
 * |---------------------------------------|---------------------------------------------------|
 * | integer within ±(2^53−1)              | number                                            |
 * | other integer                         | `{"$bigint": "123…"}`                             |
 * | float, non-integral                   | number                                            |
 * | float, integral or −0.0               | `{"$float": "2.0"}` (Erlang's shortest text)      |
 * | true / false / nil                    | true / false / null                               |
 * | other atom                            | `{"$atom": "ok"}`                                 |
 * | binary, valid UTF-8                   | string                                            |
 * | binary, not UTF-8                     | `{"$binary": "<base64>"}`                         |
 * | bitstring                             | `{"$bitstring": "<base64>", "bits": 3}` (bits = total bit length) |
 * | proper list                           | array                                             |
 * | charlist of printable ASCII           | `{"$charlist": "abc"}` (other byte lists: arrays)  |
 * | improper list                         | `{"$improper": [items], "tail": tail}`            |
 * | tuple                                 | `{"$tuple": [items]}`                             |
 * | map, all keys UTF-8 binaries not starting with `$` | object                               |
 * | struct (`__struct__` atom, atom keys) | `{"$struct": "Elixir.Mod", field: value, …}`      |
 * | map, all keys atoms                   | `{"$atom_keys": true, key: value, …}`             |
 * | any other map                         | `{"$map": [[key, value], …]}` (wire order)        |
 * | pid                                   | `{"$pid": {"node", "id", "serial", "creation"}}`  |
 * | port                                  | `{"$port": {"node", "id", "creation"}}`           |
 * | reference                             | `{"$ref": {"node", "creation", "ids": [...]}}`    |
 * | `fun M:F/A`                           | `{"$export": {"module", "function", "arity"}}`    |
 * | local fun                             | `{"$fun": {"module", "arity", "uniq", "index", "old_index", "old_uniq", "pid", "free"}}` |
 * | LOCAL_EXT                             | `{"$local": "<base64>"}`                          |
 *
 * Atom names are given as Erlang spells them (`Elixir.Phoenix.PubSub`), so the mapping round-trips.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Nesting beyond this is refused rather than risking the JS stack (the decoder itself has no such limit). */
export const MAX_RENDER_DEPTH = 4000;

export class RenderDepthError extends RenderLimitError {
  override readonly name: string = 'RenderDepthError';
  constructor() {
    super(`nested deeper than ${MAX_RENDER_DEPTH} levels; too deep to print`);
  }
}

/**
 * A term as JSON text per the table above, written directly (building objects for JSON.stringify cost
 * twice as much on the subscribe path). Terminal-safe: see {@link jsonString}. @throws {RenderDepthError}
 */
export function termJson(term: Term, depth = 0): string {
  if (depth > MAX_RENDER_DEPTH) throw new RenderDepthError();
  const d = depth + 1;
  if (typeof term === 'number') return String(term);
  if (typeof term === 'bigint') return `{"$bigint":"${term.toString()}"}`;
  if (Array.isArray(term)) return list(term, d);
  if (term instanceof Uint8Array) return binaryJson(term);
  switch (term.kind) {
    case 'float': {
      const v = term.value;
      return Number.isInteger(v) || Object.is(v, -0) ? `{"$float":"${formatFloat(v)}"}` : String(v);
    }
    case 'atom':
      return term.name === 'true' ? 'true' : term.name === 'false' ? 'false' : term.name === 'nil' ? 'null' : `{"$atom":${jsonString(term.name)}}`;
    case 'bitstring':
      return `{"$bitstring":"${Buffer.from(term.bytes).toString('base64')}","bits":${term.bitLength}}`;
    case 'charlist':
      return isPrintableAscii(term.bytes) ? `{"$charlist":${jsonString(Buffer.from(term.bytes).toString('latin1'))}}` : `[${term.bytes.join(',')}]`;
    case 'improper_list':
      return `{"$improper":${list(term.items, d)},"tail":${termJson(term.tail, d)}}`;
    case 'tuple':
      return `{"$tuple":${list(term.items, d)}}`;
    case 'map':
      return mapJson(term, d);
    case 'pid':
      return `{"$pid":${pidJson(term)}}`;
    case 'port':
      return `{"$port":{"node":${jsonString(term.node.name)},"id":${typeof term.id === 'bigint' ? `"${term.id}"` : term.id},"creation":${term.creation}}}`;
    case 'reference':
      return `{"$ref":{"node":${jsonString(term.node.name)},"creation":${term.creation},"ids":[${term.ids.join(',')}]}}`;
    case 'export':
      return `{"$export":{"module":${jsonString(term.module.name)},"function":${jsonString(term.fun.name)},"arity":${term.arity}}}`;
    case 'fun':
      return (
        `{"$fun":{"module":${jsonString(term.module.name)},"arity":${term.arity},"uniq":"${term.uniq}","index":${term.index},` +
        `"old_index":${term.oldIndex},"old_uniq":${term.oldUniq},"pid":${pidJson(term.pid)},"free":${list(term.free, d)}}}`
      );
    case 'local':
      return `{"$local":"${Buffer.from(term.bytes).toString('base64')}"}`;
  }
}

/** The JSON value of {@link termJson}, for callers that want objects (tests, `jsonToTerm` round trips). */
export function termToJson(term: Term): Json {
  return JSON.parse(termJson(term)) as Json;
}

function list(items: readonly Term[], d: number): string {
  if (items.length === 0) return '[]';
  let s = '[' + termJson(items[0]!, d);
  for (let i = 1; i < items.length; i++) s += ',' + termJson(items[i]!, d);
  return s + ']';
}

function pidJson(p: Pid): string {
  return `{"node":${jsonString(p.node.name)},"id":${p.id},"serial":${p.serial},"creation":${p.creation}}`;
}

/** A binary as a JSON string when it is UTF-8 text, else tagged base64. */
export function binaryJson(b: Uint8Array): string {
  const text = decodeUtf8(b);
  return text !== undefined ? jsonString(text) : `{"$binary":"${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')}"}`;
}

/** The text of a UTF-8 binary, or its tagged form as a value (for fields that hold a name). */
export function binaryToJson(b: Uint8Array): Json {
  return decodeUtf8(b) ?? { $binary: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') };
}

/**
 * Characters that need JSON.stringify (quotes, backslash, controls, lone surrogates) or that a terminal may act
 * on (DEL, C1, bidi controls, separators: see jsonSafe). Strings without any, the common case, are quoted as is.
 */
const NEEDS_ESCAPE = new RegExp(`["\\\\\\u0000-\\u001f${DEL_AND_C1_CLASS}${BIDI_AND_SEPARATOR_CLASS}\\ud800-\\udfff]`);

/** A JSON string literal, terminal-safe. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? jsonSafe(JSON.stringify(s)) : '"' + s + '"';
}

function mapJson(m: ErlMap, d: number): string {
  const { keys, values } = m;
  if (keys.length === 0) return pairs(m, d);
  const k0 = keys[0];
  if (k0 instanceof Uint8Array) {
    const seen = new Set<string>();
    let s = '{';
    for (let i = 0; i < keys.length; i++) {
      const raw = keys[i];
      const k = raw instanceof Uint8Array && raw[0] !== 0x24 /* $ */ ? decodeUtf8(raw) : undefined;
      // Not all UTF-8 strings, a `$` key (our tags), or a duplicate (cannot happen in a real map): pairs.
      if (k === undefined || seen.has(k)) return pairs(m, d);
      seen.add(k);
      s += (i === 0 ? '' : ',') + jsonString(k) + ':' + termJson(values[i]!, d);
    }
    return s + '}';
  }
  if (k0 instanceof Atom) {
    for (const k of keys) if (!(k instanceof Atom) || k.name.startsWith('$')) return pairs(m, d);
    const struct = m.getAtom('__struct__');
    let s = struct instanceof Atom ? `{"$struct":${jsonString(struct.name)}` : '{"$atom_keys":true';
    for (let i = 0; i < keys.length; i++) {
      const k = (keys[i] as Atom).name;
      if (k === '__struct__' && struct instanceof Atom) continue;
      s += ',' + jsonString(k) + ':' + termJson(values[i]!, d);
    }
    return s + '}';
  }
  return pairs(m, d);
}

function pairs(m: ErlMap, d: number): string {
  let s = '{"$map":[';
  for (let i = 0; i < m.keys.length; i++) s += (i === 0 ? '[' : ',[') + termJson(m.keys[i]!, d) + ',' + termJson(m.values[i]!, d) + ']';
  return s + ']}';
}

function isPrintableAscii(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  for (const c of b) if (c < 0x20 || c > 0x7e) return false;
  return true;
}

/**
 * The inverse of {@link termToJson}: read the JSON form back into a term (used by tests, and later by
 * `publish`). A plain JSON number with a fraction or exponent becomes a float, otherwise an integer.
 * @throws {Error} on a tagged object that is not well-formed.
 */
export function jsonToTerm(j: Json): Term {
  if (j === null) return new Atom('nil');
  if (typeof j === 'boolean') return new Atom(j ? 'true' : 'false');
  if (typeof j === 'number') return Number.isInteger(j) && !Object.is(j, -0) ? j : new Float(j);
  if (typeof j === 'string') return Buffer.from(j, 'utf8');
  if (Array.isArray(j)) return j.map(jsonToTerm);
  const keys = Object.keys(j);
  const first = keys[0];
  const v = first === undefined ? undefined : j[first];
  switch (first) {
    case '$bigint': {
      const n = BigInt(v as string);
      return n >= -0x1fffffffffffffn && n <= 0x1fffffffffffffn ? Number(n) : n;
    }
    case '$float':
      return new Float(Number(v as string));
    case '$atom':
      return new Atom(v as string);
    case '$binary':
      return Buffer.from(v as string, 'base64');
    case '$bitstring': {
      const bytes = Buffer.from(v as string, 'base64');
      const bits = (j.bits as number) - (bytes.length - 1) * 8;
      return bits === 8 ? bytes : new BitBinary(new Uint8Array(bytes), bits);
    }
    case '$charlist':
      return new Charlist(Buffer.from(v as string, 'latin1'));
    case '$improper':
      return new ImproperList((v as Json[]).map(jsonToTerm), jsonToTerm(j.tail as Json));
    case '$tuple':
      return new Tuple((v as Json[]).map(jsonToTerm));
    case '$map': {
      const ps = v as Array<[Json, Json]>;
      return new ErlMap(
        ps.map((p) => jsonToTerm(p[0])),
        ps.map((p) => jsonToTerm(p[1])),
      );
    }
    case '$struct':
    case '$atom_keys': {
      const ks: Term[] = [];
      const vs: Term[] = [];
      if (first === '$struct') {
        ks.push(new Atom('__struct__'));
        vs.push(new Atom(v as string));
      }
      for (const k of keys.slice(1)) {
        ks.push(new Atom(k));
        vs.push(jsonToTerm(j[k]!));
      }
      return new ErlMap(ks, vs);
    }
    case '$pid':
      return pidFromJson(v as { [key: string]: Json });
    case '$port': {
      const p = v as { [key: string]: Json };
      const id = typeof p.id === 'string' ? BigInt(p.id) : (p.id as number);
      return new Port(new Atom(p.node as string), id, p.creation as number);
    }
    case '$ref': {
      const r = v as { [key: string]: Json };
      return new Reference(new Atom(r.node as string), r.creation as number, r.ids as number[]);
    }
    case '$export': {
      const e = v as { [key: string]: Json };
      return new ExportFun(new Atom(e.module as string), new Atom(e.function as string), e.arity as number);
    }
    case '$fun': {
      const f = v as { [key: string]: Json };
      return new Fun(
        new Atom(f.module as string),
        f.arity as number,
        f.uniq as string,
        f.index as number,
        f.old_index as number,
        f.old_uniq as number,
        pidFromJson(f.pid as { [key: string]: Json }),
        (f.free as Json[]).map(jsonToTerm),
      );
    }
    case '$local':
      return new LocalTerm(Buffer.from(v as string, 'base64'));
    default: {
      const ks: Term[] = [];
      const vs: Term[] = [];
      for (const k of keys) {
        ks.push(Buffer.from(k, 'utf8'));
        vs.push(jsonToTerm(j[k]!));
      }
      return new ErlMap(ks, vs);
    }
  }
}

function pidFromJson(p: { [key: string]: Json }): Pid {
  return new Pid(new Atom(p.node as string), p.id as number, p.serial as number, p.creation as number);
}
