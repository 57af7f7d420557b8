/**
 * What `subscribe` prints where the stream has a hole: a `gap` (the connection was lost, messages
 * published meanwhile are gone) or a `drop` (the output was too slow, the oldest queued messages
 * were dropped). They are data about the stream, so they go to stdout, in order with the messages:
 * as JSON records (schema in the README, "JSON records") or as one dim line in the pretty view.
 */
import { jsonString } from './jsonTerm.js';
import type { UiStyles } from './palette.js';
import { safeLine } from './text.js';
import { clock } from './view.js';

/** Times are `Date.now()` values. */
export interface GapMarker {
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

export interface DropMarker {
  readonly count: number;
  readonly bytes: number;
  readonly total: number;
  readonly from: number;
  readonly to: number;
}

/** `{"type":"gap","from":ISO,"to":ISO,"ms":N,"reason":"…"}` */
export function gapRecord(g: GapMarker): string {
  return `{"type":"gap","from":"${iso(g.from)}","to":"${iso(g.to)}","ms":${g.to - g.from},"reason":${jsonString(g.reason)}}`;
}

/** `{"type":"drop","count":N,"bytes":B,"total":M,"from":ISO,"to":ISO}`: `from`/`to` are when the first and last dropped message arrived. */
export function dropRecord(d: DropMarker): string {
  return JSON.stringify({ type: 'drop', count: d.count, bytes: d.bytes, total: d.total, from: iso(d.from), to: iso(d.to) });
}

/** `── gap 12:00:01.234 → 12:00:03.456 (2.2 s, closed by the server): messages published meanwhile are lost ──` */
export function gapLine(g: GapMarker, ui: UiStyles): string {
  const span = `${clock(new Date(g.from))} → ${clock(new Date(g.to))}`;
  return ui.dim(`── gap ${span} (${seconds(g.to - g.from)}, ${safeLine(g.reason)}): messages published meanwhile are lost ──`);
}

/** `── 1234 messages dropped 12:00:01.234 → 12:00:01.900: output too slow ──` */
export function dropLine(d: DropMarker, ui: UiStyles): string {
  const span = d.from === d.to ? clock(new Date(d.from)) : `${clock(new Date(d.from))} → ${clock(new Date(d.to))}`;
  return ui.dim(`── ${plural(d.count, 'message')} dropped ${span}: output too slow (${d.total} in all) ──`);
}

/** `2.2 s`, `0.35 s`, `12 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? s.toFixed(0) : s >= 1 ? s.toFixed(1) : s.toFixed(2)} s`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
