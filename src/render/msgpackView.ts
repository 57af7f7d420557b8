import { MsgpackExt, MsgpackMap, type MsgpackValue } from '../codec/msgpack.js';
import { jsonString, MAX_RENDER_DEPTH, RenderDepthError } from './jsonTerm.js';
import type { UiStyles } from './palette.js';
import { jsonSafe } from './text.js';

/**
 * MessagePack values as JSON (README, "JSON mapping"): plain where JSON has the type; tagged otherwise:
 * integers beyond ±2^53 `{"$bigint": "…"}`, bin `{"$binary": "<base64>"}`, ext
 * `{"$ext": type, "data": "<base64>"}` (+ `"timestamp": "<ISO 8601>"` for type −1), maps whose keys are
 * not all strings (or start with `$`) `{"$map": [[k, v], …]}`.
 */
export function msgpackJson(v: MsgpackValue, depth = 0): string {
  if (depth > MAX_RENDER_DEPTH) throw new RenderDepthError();
  const d = depth + 1;
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `{"$float":"${String(v)}"}`;
  if (typeof v === 'bigint') return `{"$bigint":"${v}"}`;
  if (v instanceof Uint8Array) return `{"$binary":"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"}`;
  if (Array.isArray(v)) return '[' + v.map((x) => msgpackJson(x, d)).join(',') + ']';
  if (v instanceof MsgpackExt) {
    const iso = timestampIso(v);
    return `{"$ext":${v.type},"data":"${Buffer.from(v.data).toString('base64')}"${iso === undefined ? '' : `,"timestamp":"${iso}"`}}`;
  }
  const plain = v.keys.every((k) => typeof k === 'string' && !k.startsWith('$')) && new Set(v.keys).size === v.keys.length;
  if (plain) return '{' + v.keys.map((k, i) => jsonString(k as string) + ':' + msgpackJson(v.values[i]!, d)).join(',') + '}';
  return '{"$map":[' + v.keys.map((k, i) => '[' + msgpackJson(k, d) + ',' + msgpackJson(v.values[i]!, d) + ']').join(',') + ']}';
}

/** ISO 8601 with nanoseconds for a timestamp extension, when it is one. */
export function timestampIso(e: MsgpackExt): string | undefined {
  if (e.type !== -1 || e.timestamp === undefined) return undefined;
  const ms = Number(e.timestamp.sec) * 1000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return `${e.timestamp.sec}s+${e.timestamp.nsec}ns`;
  return d.toISOString().replace(/\.\d{3}Z$/, `.${String(e.timestamp.nsec).padStart(9, '0')}Z`);
}

/**
 * Pretty msgpack, laid out as `jq` lays out JSON. Values JSON lacks are marked:
 * `<bin 3 bytes: 00 01 02>`, `<ext 5: 0a0b>`, `<ext -1 timestamp 2024-…Z>`; big integers print in full.
 */
export function prettyMsgpack(v: MsgpackValue, ui: UiStyles): string {
  const out: string[] = [];
  write(v, 0, ui, out);
  return out.join('');
}

function write(v: MsgpackValue, depth: number, ui: UiStyles, out: string[]): void {
  if (depth > MAX_RENDER_DEPTH) throw new RenderDepthError();
  const pad = (n: number) => '\n' + '  '.repeat(n);
  if (v === null || typeof v === 'boolean') return void out.push(ui.literal(String(v)));
  if (typeof v === 'number' || typeof v === 'bigint') return void out.push(ui.number(String(v)));
  if (typeof v === 'string') return void out.push(ui.string(quote(v)));
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex').replace(/(..)(?!$)/g, '$1 ');
    return void out.push(ui.dim(`<bin ${v.length} byte${v.length === 1 ? '' : 's'}${v.length ? ': ' + hex : ''}>`));
  }
  if (v instanceof MsgpackExt) {
    const iso = timestampIso(v);
    return void out.push(ui.dim(iso !== undefined ? `<ext -1 timestamp ${iso}>` : `<ext ${v.type}: ${Buffer.from(v.data).toString('hex')}>`));
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return void out.push('[]');
    out.push('[');
    v.forEach((x, i) => {
      out.push(pad(depth + 1));
      write(x, depth + 1, ui, out);
      if (i < v.length - 1) out.push(',');
    });
    out.push(pad(depth), ']');
    return;
  }
  if (v instanceof MsgpackMap) {
    if (v.keys.length === 0) return void out.push('{}');
    out.push('{');
    v.keys.forEach((k, i) => {
      out.push(pad(depth + 1));
      if (typeof k === 'string') out.push(ui.key(quote(k)));
      else write(k, depth + 1, ui, out);
      out.push(': ');
      write(v.values[i]!, depth + 1, ui, out);
      if (i < v.keys.length - 1) out.push(',');
    });
    out.push(pad(depth), '}');
  }
}

/** A JSON string literal with terminal-unsafe characters escaped as well. */
function quote(s: string): string {
  return jsonSafe(JSON.stringify(s));
}
