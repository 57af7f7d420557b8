import { Atom, ErlMap, Pid, Tuple, type Term } from '../codec/etf/term.js';

/**
 * phoenix_pubsub_redis envelopes (see shared/reference/wire-formats.md §1):
 * - v3 (phoenix_pubsub_redis 3.x): `{3, mode, node_name, topic, message, dispatcher}`;
 * - v2 (2.x, Phoenix ≤ 1.4): `{1, node_ref, fastlane, pool_size, from_pid | :none, topic, message}`.
 * Inside, a channel broadcast is a `%Phoenix.Socket.Broadcast{}` (or Message/Reply), and Presence traffic
 * is a Phoenix.Tracker `{:pub, kind, ...}` tuple.
 */
export interface PhoenixEnvelope {
  readonly envelope: 'phoenix_v3' | 'phoenix_v2';
  /** v3: the node name (atom or binary). v2: the 24-byte node ref. */
  readonly node: Term;
  /** v3 only: `except` (every node but `node` delivers) or `only` (only `node` delivers). */
  readonly mode: 'except' | 'only' | undefined;
  readonly topic: Uint8Array;
  /** v3: the dispatcher module; v2: the fastlane module or nil. */
  readonly dispatcher: Term;
  /** v2 only. */
  readonly poolSize: Term | undefined;
  /** v2 only: the sending pid or `:none`. */
  readonly from: Term | undefined;
  readonly message: Term;
  readonly socket: SocketMessage | undefined;
  readonly presence: PresenceMessage | undefined;
}

/** A `%Phoenix.Socket.Broadcast{}`, `%Phoenix.Socket.Message{}` or `%Phoenix.Socket.Reply{}`. */
export interface SocketMessage {
  readonly struct: 'Phoenix.Socket.Broadcast' | 'Phoenix.Socket.Message' | 'Phoenix.Socket.Reply';
  readonly topic: Term | undefined;
  /** `event` for Broadcast/Message; for a Reply, its `status`. */
  readonly event: Term | undefined;
  readonly payload: Term | undefined;
}

export type PresenceKind = 'heartbeat' | 'transfer_req' | 'transfer_ack' | 'graceful_permdown';

/** Phoenix.Tracker replication traffic: `{:pub, kind, ...}` with the sending replica `{name, vsn}`. */
export interface PresenceMessage {
  readonly kind: PresenceKind;
  /** The replica name (usually the node atom). */
  readonly replica: Term;
}

const SOCKET_STRUCTS = new Set(['Elixir.Phoenix.Socket.Broadcast', 'Elixir.Phoenix.Socket.Message', 'Elixir.Phoenix.Socket.Reply']);
const PRESENCE_KINDS = new Set<string>(['heartbeat', 'transfer_req', 'transfer_ack', 'graceful_permdown']);

/** Recognise a phoenix_pubsub_redis envelope, or return `undefined` for any other term. */
export function recognizePhoenix(term: Term): PhoenixEnvelope | undefined {
  if (!(term instanceof Tuple)) return undefined;
  const t = term.items;
  if (t.length === 6 && t[0] === 3) {
    const [, mode, node, topic, message, dispatcher] = t as [Term, Term, Term, Term, Term, Term];
    if (!(mode instanceof Atom) || (mode.name !== 'except' && mode.name !== 'only')) return undefined;
    if (!(node instanceof Atom) && !(node instanceof Uint8Array)) return undefined;
    if (!(topic instanceof Uint8Array) || !(dispatcher instanceof Atom)) return undefined;
    return {
      envelope: 'phoenix_v3',
      node,
      mode: mode.name,
      topic,
      dispatcher,
      poolSize: undefined,
      from: undefined,
      message,
      socket: socketMessage(message),
      presence: presenceMessage(message),
    };
  }
  if (t.length === 7 && t[0] === 1) {
    const [, nodeRef, fastlane, poolSize, from, topic, message] = t as [Term, Term, Term, Term, Term, Term, Term];
    if (!(nodeRef instanceof Uint8Array) || !(topic instanceof Uint8Array)) return undefined;
    if (!(fastlane instanceof Atom) || typeof poolSize !== 'number') return undefined;
    if (!(from instanceof Pid) && !(from instanceof Atom && from.name === 'none')) return undefined;
    return {
      envelope: 'phoenix_v2',
      node: nodeRef,
      mode: undefined,
      topic,
      dispatcher: fastlane,
      poolSize,
      from,
      message,
      socket: socketMessage(message),
      presence: presenceMessage(message),
    };
  }
  return undefined;
}

function socketMessage(m: Term): SocketMessage | undefined {
  if (!(m instanceof ErlMap)) return undefined;
  const struct = m.getAtom('__struct__');
  if (!(struct instanceof Atom) || !SOCKET_STRUCTS.has(struct.name)) return undefined;
  const name = struct.name.slice('Elixir.'.length) as SocketMessage['struct'];
  return {
    struct: name,
    topic: m.getAtom('topic'),
    event: name === 'Phoenix.Socket.Reply' ? m.getAtom('status') : m.getAtom('event'),
    payload: m.getAtom('payload'),
  };
}

function presenceMessage(m: Term): PresenceMessage | undefined {
  if (!(m instanceof Tuple) || m.items.length < 3) return undefined;
  const [pub, kind] = m.items;
  if (!(pub instanceof Atom) || pub.name !== 'pub' || !(kind instanceof Atom) || !PRESENCE_KINDS.has(kind.name)) return undefined;
  // heartbeat/graceful_permdown: {name, vsn} third; transfer_req/transfer_ack: ref third, {name, vsn} fourth.
  const replicaTuple = kind.name === 'heartbeat' || kind.name === 'graceful_permdown' ? m.items[2] : m.items[3];
  const replica = replicaTuple instanceof Tuple && replicaTuple.items.length === 2 ? replicaTuple.items[0]! : replicaTuple;
  if (replica === undefined) return undefined;
  return { kind: kind.name as PresenceKind, replica };
}
