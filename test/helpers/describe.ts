/**
 * Maps a decoded {@link Term} to the description format that `test/fixtures/etf/generate.escript`
 * writes into `corpus.json` from the Erlang term itself, so a test can check the decoder against
 * what Erlang says the bytes mean. The format is documented in `test/fixtures/etf/README.md`.
 *
 * The folding is deliberately lossy in the same places the Erlang side is: a STRING_EXT
 * {@link Charlist} describes as the list of its integers, `number` and `bigint` both as `{int}`.
 * Everything else the term model keeps distinct stays distinct (a float `1.0` is not the int `1`).
 */
import type { Pid, Term } from '../../src/codec/etf/term.js';

export type PidDescription = { node: string; id: number; serial: number; creation: number };

export type Description =
  | { int: string }
  | { float: string }
  | { atom: string }
  | { bin: string }
  | { bits: string; len: number }
  | { list: Description[]; tail?: Description }
  | { tuple: Description[] }
  | { map: [Description, Description][] }
  | { pid: PidDescription }
  | { port: { node: string; id: number | string; creation: number } }
  | { ref: { node: string; creation: number; ids: number[] } }
  | { export: { module: string; fun: string; arity: number } }
  | {
      fun: {
        module: string;
        arity: number;
        uniq: string;
        index: number;
        old_index: number;
        old_uniq: number;
        pid: { pid: PidDescription };
        free: Description[];
      };
    }
  /** LOCAL_EXT: not produced by OTP 25, so never in the corpus; the bytes as hex. */
  | { local: string };

/** Describe a decoded term. Recursive: fine for the corpus (depth ≤ ~1000), not for hostile input. */
export function describe(t: Term): Description {
  if (typeof t === 'number' || typeof t === 'bigint') return { int: String(t) };
  if (Array.isArray(t)) return { list: t.map(describe) };
  if (t instanceof Uint8Array) return { bin: hex(t) };
  switch (t.kind) {
    case 'float': {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, t.value, false);
      return { float: hex(new Uint8Array(view.buffer)) };
    }
    case 'atom':
      return { atom: t.name };
    case 'bitstring':
      return { bits: hex(t.bytes), len: t.bitLength };
    case 'charlist':
      return { list: Array.from(t.bytes, (b) => ({ int: String(b) })) };
    case 'improper_list':
      return { list: t.items.map(describe), tail: describe(t.tail) };
    case 'tuple':
      return { tuple: t.items.map(describe) };
    case 'map': {
      const values = t.values;
      return {
        map: t.keys.map((k, i): [Description, Description] => {
          const v = values[i];
          if (v === undefined) throw new Error(`map key ${i} has no value`);
          return [describe(k), describe(v)];
        }),
      };
    }
    case 'pid':
      return { pid: describePid(t) };
    case 'port':
      // Same rule as the escript: a JSON number while a safe integer, else a decimal string.
      return { port: { node: t.node.name, id: typeof t.id === 'bigint' ? String(t.id) : t.id, creation: t.creation } };
    case 'reference':
      return { ref: { node: t.node.name, creation: t.creation, ids: [...t.ids] } };
    case 'export':
      return { export: { module: t.module.name, fun: t.fun.name, arity: t.arity } };
    case 'fun':
      return {
        fun: {
          module: t.module.name,
          arity: t.arity,
          uniq: t.uniq,
          index: t.index,
          old_index: t.oldIndex,
          old_uniq: t.oldUniq,
          pid: { pid: describePid(t.pid) },
          free: t.free.map(describe),
        },
      };
    case 'local':
      return { local: hex(t.bytes) };
  }
}

function describePid(p: Pid): PidDescription {
  return { node: p.node.name, id: p.id, serial: p.serial, creation: p.creation };
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * A canonical JSON text for a description (or any JSON value): object keys sorted, and the pairs of
 * every `{map: [...]}` sorted by their own canonical text, so two descriptions of the same term are
 * equal strings whatever order their maps' pairs came in (wire order, `maps:to_list` order).
 */
export function canonical(desc: unknown): string {
  if (Array.isArray(desc)) return `[${desc.map(canonical).join(',')}]`;
  if (desc !== null && typeof desc === 'object') {
    const entries = Object.entries(desc as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries
      .map(([k, v]) => {
        const text = k === 'map' && Array.isArray(v) ? `[${v.map(canonical).sort().join(',')}]` : canonical(v);
        return `${JSON.stringify(k)}:${text}`;
      })
      .join(',')}}`;
  }
  return JSON.stringify(desc);
}

/** Whether two descriptions describe the same term (maps compared order-insensitively). */
export function sameDescription(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Where two descriptions first differ, as a path like `tuple[4].map{"atom":"payload"}.bin`,
 * or `undefined` when they are the same. For readable test failures on big fixtures.
 */
export function firstDifference(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (sameDescription(expected, actual)) return undefined;
  const here = `${path}: expected ${clip(canonical(expected))}, got ${clip(canonical(actual))}`;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return here;
  }
  if (isObject(expected) && isObject(actual)) {
    const ek = Object.keys(expected).sort().join(',');
    const ak = Object.keys(actual).sort().join(',');
    if (ek !== ak) return here;
    const em = expected['map'];
    const am = actual['map'];
    if (Array.isArray(em) && Array.isArray(am)) return mapDifference(em, am, `${path}.map`);
    for (const k of Object.keys(expected)) {
      const d = firstDifference(expected[k], actual[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
  }
  return here;
}

function mapDifference(expected: unknown[], actual: unknown[], path: string): string | undefined {
  if (expected.length !== actual.length) return `${path}: expected ${expected.length} pairs, got ${actual.length}`;
  const byKey = new Map<string, unknown>();
  for (const pair of actual) if (Array.isArray(pair)) byKey.set(canonical(pair[0]), pair[1]);
  for (const pair of expected) {
    if (!Array.isArray(pair)) continue;
    const key = canonical(pair[0]);
    if (!byKey.has(key)) return `${path}: key ${clip(key)} missing`;
    const d = firstDifference(pair[1], byKey.get(key), `${path}{${clip(key)}}`);
    if (d !== undefined) return d;
  }
  return `${path}: pairs differ`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
