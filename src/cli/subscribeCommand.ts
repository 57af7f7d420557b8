import type { Writable } from 'node:stream';
import { connectionOptions, ConnectionError, openSubscriber, type ConnectionOptions, type Subscriber, type SubscriberStatus } from '../redis/index.js';
import { globToRegExp } from '../filter/glob.js';
import { IEX_PALETTE, colorEnabled, uiStyles } from '../render/palette.js';
import { analyze, body, header, nodeText, termText, toRecord, type MessageView, type PrettyOptions } from '../render/view.js';
import { safeLine } from '../render/text.js';
import type { SubscribeOptions } from './program.js';
import type { Io } from './io.js';
import { CliError, ExitCode } from './exitCodes.js';

/** What `subscribe` watches when given neither --channel nor --pattern: every phoenix_pubsub_redis channel. */
export const DEFAULT_PATTERN = 'phx:*';

/** Output is gathered and written in chunks of about this size (or when no message is waiting). */
const FLUSH_BYTES = 64 * 1024;

/**
 * `redis-print subscribe`: connect, subscribe, decode and print every message until --count, --timeout,
 * a signal, or the connection ends. Status goes to stderr; stdout carries only messages.
 */
export async function runSubscribe(o: SubscribeOptions, io: Io): Promise<number> {
  const conn = connection(o);
  const patterns = o.channels.length === 0 && o.patterns.length === 0 ? [DEFAULT_PATTERN] : o.patterns;
  if (patterns !== o.patterns) io.stderr.write(`redis-print: no --channel or --pattern given; watching the pattern ${DEFAULT_PATTERN} (every Phoenix channel)\n`);

  const select = messageFilter(o);
  const color = colorEnabled(o.color, io.env, io.stdout.isTTY === true);
  const pretty: PrettyOptions = { width: o.width, charlists: o.charlists, palette: color ? IEX_PALETTE : undefined, ui: uiStyles(color) };
  const status = statusPrinter(io.stderr);

  let sub: Subscriber;
  try {
    sub = await openSubscriber(conn, { channels: o.channels, patterns, exact: o.exact, onStatus: status, queue: { onDrop: dropReporter(io.stderr) } }, io.signal);
  } catch (e) {
    if (io.signal.aborted) return signalExit(io.signal);
    if (e instanceof ConnectionError) {
      io.stderr.write(`redis-print: ${e.message}\n`);
      return ExitCode.CONNECTION;
    }
    throw e;
  }

  let timedOut = false;
  const timer =
    o.timeoutSeconds === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void sub.close();
        }, o.timeoutSeconds * 1000);

  let printed = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingBytes = 0;
    await write(io.stdout, chunk);
  };

  let exit: number = ExitCode.OK;
  try {
    for await (const m of sub) {
      const view = analyze(m.payload, o.format, o.envelope);
      if (!select(view)) continue;
      const meta = { time: new Date(m.receivedAt), channel: m.channel, ...(m.pattern !== undefined ? { pattern: m.pattern } : {}) };
      let text: string;
      if (o.json) {
        text = toRecord(view, meta, o.raw) + '\n';
      } else {
        const b = body(view, pretty);
        text = o.header ? `${header(view, meta, pretty.ui)}\n${b === '' ? '' : b + '\n'}` : b + '\n';
      }
      pending.push(text);
      pendingBytes += text.length;
      printed++;
      if (o.count !== undefined && printed >= o.count) break;
      if (pendingBytes >= FLUSH_BYTES || sub.queued === 0) await flush();
    }
  } catch (e) {
    if (!(e instanceof ConnectionError)) throw e;
    await flush();
    io.stderr.write(`redis-print: ${e.message}\n`);
    exit = ExitCode.CONNECTION;
  } finally {
    if (timer) clearTimeout(timer);
    await flush();
    await sub.close();
  }

  if (io.signal.aborted) {
    io.stderr.write(`redis-print: stopped by ${String(io.signal.reason)}: ${printed} message${printed === 1 ? '' : 's'} printed, ${sub.dropped} dropped\n`);
    return signalExit(io.signal);
  }
  if (timedOut && o.count !== undefined && printed < o.count) {
    io.stderr.write(`redis-print: timed out after ${o.timeoutSeconds} s with ${printed} of ${o.count} messages\n`);
    return ExitCode.TIMEOUT;
  }
  return exit;
}

function connection(o: SubscribeOptions): ConnectionOptions {
  try {
    return connectionOptions({
      host: o.host,
      port: o.port,
      connectTimeoutMs: o.connectTimeoutMs,
      ...(o.url !== undefined ? { url: o.url } : {}),
    });
  } catch (e) {
    if (e instanceof ConnectionError) throw new CliError(e.message, ExitCode.USAGE);
    throw e;
  }
}

/** --topic/--event/--node (Redis globs, matched after decoding) and --hide-presence, as one predicate. */
export function messageFilter(o: Pick<SubscribeOptions, 'topic' | 'event' | 'node' | 'hidePresence'>): (v: MessageView) => boolean {
  const topic = o.topic === undefined ? undefined : globToRegExp(o.topic);
  const event = o.event === undefined ? undefined : globToRegExp(o.event);
  const node = o.node === undefined ? undefined : globToRegExp(o.node);
  if (!topic && !event && !node && !o.hidePresence) return () => true;
  return (v) => {
    const env = v.envelope;
    if (o.hidePresence && env?.presence?.kind === 'heartbeat') return false;
    if (topic && !(env && topic.test(termText(env.topic) ?? ''))) return false;
    if (event && !(env?.socket && event.test(termText(env.socket.event) ?? ''))) return false;
    if (node && !(env && node.test(nodeText(env)))) return false;
    return true;
  };
}

function statusPrinter(stderr: Writable): (s: SubscriberStatus) => void {
  return (s) => {
    switch (s.type) {
      case 'connected':
        stderr.write(`redis-print: connected to ${s.target}\n`);
        break;
      case 'subscribed': {
        const what = [
          s.channels.length ? `channel${s.channels.length > 1 ? 's' : ''} ${s.channels.map(safeLine).join(', ')}` : '',
          s.patterns.length ? `pattern${s.patterns.length > 1 ? 's' : ''} ${s.patterns.map(safeLine).join(', ')}` : '',
        ].filter(Boolean);
        const how = s.channels.length && !s.exact ? ' (channels via escaped PSUBSCRIBE: not counted by PUBSUB NUMSUB)' : '';
        stderr.write(`redis-print: subscribed to ${what.join(' and ')}${how}\n`);
        break;
      }
      case 'reconnecting':
        stderr.write(`redis-print: reconnecting to ${s.target} (attempt ${s.attempt}, in ${s.delayMs} ms)\n`);
        break;
      case 'disconnected':
        if (s.error) stderr.write(`redis-print: disconnected from ${s.target}\n`);
        break;
      case 'warning':
        stderr.write(`redis-print: warning: ${s.message}\n`);
        break;
      case 'connecting':
        break;
    }
  };
}

/** Tells stderr about dropped messages, at most once a second. */
function dropReporter(stderr: Writable): (total: number) => void {
  let last = 0;
  return (total) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    stderr.write(`redis-print: output is too slow: ${total} message${total === 1 ? '' : 's'} dropped so far (oldest first)\n`);
  };
}

function signalExit(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? ExitCode.SIGTERM : ExitCode.SIGINT;
}

/** Write, waiting for 'drain' when the stream's buffer is full (so memory stays bounded by the queue). */
function write(stream: Writable, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
