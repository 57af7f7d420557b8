import { Atom, Pid, type Term } from '../codec/etf/term.js';
import { decodePayload, type DecodeOutcome, type FormatChoice } from '../codec/payload.js';
import { recognizePhoenix, type PhoenixEnvelope } from '../envelope/phoenix.js';
import { hexdump, hexHead } from './hexdump.js';
import { inspectTerm } from './inspect.js';
import { RenderLimitError } from './algebra.js';
import { binaryJson, binaryToJson, jsonString, MAX_RENDER_DEPTH, termJson } from './jsonTerm.js';
import { minifyJson, prettyJson } from './jsonText.js';
import { msgpackJson, prettyMsgpack } from './msgpackView.js';
import type { Palette, UiStyles } from './palette.js';
import { hardenInspect, safeLine, safeText } from './text.js';

/** One payload, decoded and (when asked) with its framework envelope recognised. Pure data. */
export interface MessageView {
  readonly bytes: Uint8Array;
  readonly outcome: DecodeOutcome;
  readonly envelope: PhoenixEnvelope | undefined;
}

/** Where a message came from (subscribe); absent for `decode`. */
export interface MessageMeta {
  readonly time?: Date;
  readonly channel?: string;
  readonly pattern?: string;
  /** A sharded channel (SSUBSCRIBE): `"sharded": true` in the record, `(shard)` after the channel name. */
  readonly sharded?: boolean;
}

export interface PrettyOptions {
  readonly width: number;
  readonly charlists: 'sigil' | 'quotes';
  /** IEx colours for terms, or undefined for none. */
  readonly palette: Palette | undefined;
  readonly ui: UiStyles;
}

/** Decode `bytes` and recognise its envelope. Never throws for bad input. */
export function analyze(bytes: Uint8Array, format: FormatChoice, envelope: 'auto' | 'none'): MessageView {
  const outcome = decodePayload(bytes, format);
  const env = envelope === 'auto' && outcome.ok && outcome.decoded.format === 'etf' ? recognizePhoenix(outcome.decoded.term) : undefined;
  return { bytes, outcome, envelope: env };
}

/** Text of a term that names something (a node, topic, event): atoms by name, UTF-8 binaries as text. */
export function termText(t: Term | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (t instanceof Atom) return t.name.startsWith('Elixir.') ? t.name.slice(7) : t.name;
  if (t instanceof Uint8Array) {
    const j = binaryToJson(t);
    return typeof j === 'string' ? j : `<<${hexHead(t, 8)}>>`;
  }
  return undefined;
}

/**
 * The node a message came from. v3 names it; v2 carries only a random node ref, so the sender pid's node
 * stands in (or `ref:` and the ref's first 4 bytes in hex when the sender is `:none`).
 */
export function nodeText(env: PhoenixEnvelope): string {
  if (env.envelope === 'phoenix_v2') {
    if (env.from instanceof Pid) return env.from.node.name;
    if (env.node instanceof Uint8Array) return `ref:${Buffer.from(env.node.subarray(0, 4)).toString('hex')}`;
  }
  return termText(env.node) ?? '?';
}

// ---------------------------------------------------------------------------------------------- JSON lines

/**
 * One JSON line (no newline) for a message; the schema is in the README ("JSON records").
 * Field order is fixed: the record type (`message`; `subscribe` also writes `gap` and `drop`
 * records, see streamMarkers.ts), where it came from, what it is, what it says.
 */
export function toRecord(view: MessageView, meta: MessageMeta, raw: boolean): string {
  // Written as text, field by field: every value below is already JSON (see jsonTerm.ts).
  let r = '{"type":"message"';
  if (meta.time) r += `,"time":"${meta.time.toISOString()}"`;
  if (meta.channel !== undefined) r += ',"channel":' + jsonString(meta.channel);
  if (meta.pattern !== undefined) r += ',"pattern":' + jsonString(meta.pattern);
  if (meta.sharded === true) r += ',"sharded":true';
  const { outcome, envelope, bytes } = view;
  r += `,"format":"${outcome.ok ? outcome.decoded.format : outcome.format}","bytes":${bytes.length}`;
  let failed = !outcome.ok;
  try {
    if (!outcome.ok) r += ',"error":' + errorJson(outcome.error.code, outcome.error.offset, outcome.error.detail);
    else if (envelope !== undefined) r += envelopeJson(envelope);
    else r += ',"value":' + valueJson(outcome);
  } catch (e) {
    if (!(e instanceof RenderLimitError)) throw e;
    failed = true;
    r += ',"error":' + errorJson('too_deep', 0, e.message);
  }
  if (raw || failed) r += `,"raw":"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
  return r + '}';
}

function errorJson(code: string, offset: number, message: string): string {
  return `{"code":"${code}","offset":${offset},"message":${jsonString(message)}}`;
}

/** The envelope's fields, each as `,"key":<json>`. A failure part-way leaves the record unchanged. */
function envelopeJson(env: PhoenixEnvelope): string {
  let r = `,"envelope":"${env.envelope}","node":${jsonString(nodeText(env))}`;
  if (env.envelope === 'phoenix_v2' && env.node instanceof Uint8Array) r += `,"node_ref":"${Buffer.from(env.node).toString('hex')}"`;
  if (env.mode !== undefined) r += `,"mode":"${env.mode}"`;
  r += ',"topic":' + binaryJson(env.topic);
  if (env.socket !== undefined) {
    r += ',"event":' + (env.socket.event === undefined ? 'null' : termJson(env.socket.event));
    r += `,"struct":"${env.socket.struct}"`;
  }
  r += ',"dispatcher":' + (env.dispatcher instanceof Atom ? jsonString(termText(env.dispatcher) ?? '') : termJson(env.dispatcher));
  if (env.from !== undefined) r += ',"from":' + termJson(env.from);
  if (env.presence !== undefined) r += `,"presence":{"kind":"${env.presence.kind}","replica":${termJson(env.presence.replica)}}`;
  const payload = env.socket !== undefined ? env.socket.payload : env.message;
  return r + ',"payload":' + (payload === undefined ? 'null' : termJson(payload));
}

function valueJson(outcome: DecodeOutcome & { ok: true }): string {
  const d = outcome.decoded;
  switch (d.format) {
    case 'etf':
      return termJson(d.term);
    case 'json':
      // The payload's own text (minified): digits and key order exactly as sent.
      return minifyJson(d.text);
    case 'msgpack':
      return msgpackJson(d.value);
    case 'text':
      return jsonString(d.text);
    case 'binary':
      return `{"$binary":"${Buffer.from(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength).toString('base64')}"}`;
  }
}

// ---------------------------------------------------------------------------------------------- pretty

/** A local time with milliseconds, `HH:MM:SS.mmm`. */
export function clock(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function size(n: number): string {
  return n < 10_000 ? `${n} B` : n < 10_000_000 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

/**
 * The one-line header: time, channel, format, size, and what the envelope says. `detail` adds the
 * envelope's version, mode and dispatcher (decode shows them; subscribe keeps its lines short).
 */
export function header(view: MessageView, meta: MessageMeta, ui: UiStyles, detail = false): string {
  const parts: string[] = [];
  if (meta.time) parts.push(ui.dim(clock(meta.time)));
  if (meta.channel !== undefined) parts.push(ui.channel(safeLine(meta.channel)) + (meta.sharded === true ? ui.dim(' (shard)') : ''));
  const { outcome, envelope } = view;
  parts.push(ui.dim(`${outcome.ok ? outcome.decoded.format : outcome.format} ${size(view.bytes.length)}`));
  if (!outcome.ok) {
    parts.push(ui.error(`error ${outcome.error.code} at offset ${outcome.error.offset}: ${safeLine(outcome.error.detail)}`));
  } else if (envelope !== undefined) {
    parts.push(envelopeSummary(envelope, ui));
    if (detail) {
      const mode = envelope.mode === undefined ? '' : `, mode ${envelope.mode}`;
      parts.push(ui.dim(`(${envelope.envelope}${mode}, ${envelope.envelope === 'phoenix_v2' ? 'fastlane' : 'dispatcher'} ${safeLine(termText(envelope.dispatcher) ?? '?')})`));
    }
  }
  return parts.join(' ');
}

function envelopeSummary(env: PhoenixEnvelope, ui: UiStyles): string {
  const node = ui.bold(safeLine(nodeText(env)));
  const topic = safeLine(termText(env.topic) ?? '');
  if (env.presence !== undefined) {
    return `${node} → ${topic} ${ui.warn(`presence ${env.presence.kind}`)} from ${safeLine(termText(env.presence.replica) ?? '?')}`;
  }
  const direct = env.mode === 'only' ? ui.warn(' (only to that node)') : '';
  if (env.socket !== undefined) {
    const event = ui.string(safeLine(termText(env.socket.event) ?? '?'));
    const kind = env.socket.struct === 'Phoenix.Socket.Broadcast' ? '' : ui.dim(` ${env.socket.struct.slice('Phoenix.Socket.'.length)}`);
    return `${node} → ${topic} ${event}${kind}${direct}`;
  }
  return `${node} → ${topic} ${ui.dim(`(${safeLine(termText(env.dispatcher) ?? '?')})`)}${direct}`;
}

/** The body under the header: the term as IEx prints it, or the JSON/msgpack/text/binary view. */
export function body(view: MessageView, o: PrettyOptions): string {
  const { outcome, envelope } = view;
  if (!outcome.ok) return errorDump(view.bytes, outcome.error.offset);
  try {
    const inspect = (t: Term) => hardenInspect(inspectTerm(t, { width: o.width, colors: o.palette, charlists: o.charlists, maxDepth: MAX_RENDER_DEPTH }));
    if (envelope !== undefined) {
      if (envelope.socket !== undefined && envelope.presence === undefined) {
        return envelope.socket.payload === undefined ? '' : inspect(envelope.socket.payload);
      }
      return inspect(envelope.message);
    }
    const d = outcome.decoded;
    switch (d.format) {
      case 'etf':
        return inspect(d.term);
      case 'json':
        return prettyJson(d.text, o.ui);
      case 'msgpack':
        return prettyMsgpack(d.value, o.ui);
      case 'text':
        return safeText(d.text);
      case 'binary':
        return hexdump(d.bytes);
    }
  } catch (e) {
    if (e instanceof RenderLimitError) return o.ui.error(e.message);
    throw e;
  }
}

/** The bytes around `offset` (4 lines before and after), as `xxd` shows them. */
export function errorDump(bytes: Uint8Array, offset: number): string {
  return hexdump(bytes, Math.max(0, offset - 64), offset + 64);
}

/** Header and body, as `decode` and `subscribe` print a message (`detail`: the header names every envelope part). */
export function toPretty(view: MessageView, meta: MessageMeta, o: PrettyOptions, detail = false): string {
  const b = body(view, o);
  const h = header(view, meta, o.ui, detail);
  return b === '' ? h : `${h}\n${b}`;
}
