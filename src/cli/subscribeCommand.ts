import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ConnectionError, DEFAULT_RECONNECT, openSubscriber, type ConnectionOptions, type Subscriber, type SubscriberStatus } from '../redis/index.js';
import { globToRegExp } from '../filter/glob.js';
import { IEX_PALETTE, colorEnabled, uiStyles } from '../render/palette.js';
import { analyze, body, clock, nodeText, termText, toPretty, toRecord, type MessageView, type PrettyOptions } from '../render/view.js';
import { dropLine, dropRecord, gapLine, gapRecord, plural, seconds } from '../render/streamMarkers.js';
import { safeLine } from '../render/text.js';
import type { SubscribeOptions } from './program.js';
import type { Io } from './io.js';
import { ExitCode } from './exitCodes.js';
import { BatchedOutput } from './BatchedOutput.js';
import { DropReporter } from './DropReporter.js';
import { resolveConnection } from './connectionFlags.js';

/** What `subscribe` watches when given neither --channel nor --pattern: every phoenix_pubsub_redis channel. */
export const DEFAULT_PATTERN = 'phx:*';

/** Output is gathered and written in chunks of about this size (or when no message is waiting). */
const FLUSH_BYTES = 64 * 1024;
/** After SIGINT/SIGTERM, what is already queued may still be printed for this long, then it is discarded. */
const STOP_FLUSH_MS = 1_000;
/**
 * Longest stretch of decoding and rendering between two turns of the event loop. The socket is only
 * read between turns; a reader that stalls longer lets Redis's output buffer for us grow towards
 * `client-output-buffer-limit pubsub` (it disconnects at 32 MB, or 8 MB for 60 s). Between turns
 * the queue takes what arrived and drops the oldest when full.
 */
const SLICE_MS = 20;

/**
 * `redis-print subscribe`: connect, subscribe, decode and print every message until --count, --timeout,
 * a signal, or the connection ends. Status goes to stderr; stdout carries only messages.
 */
export async function runSubscribe(o: SubscribeOptions, io: Io): Promise<number> {
  const conn = await connection(o, io);
  const patterns = o.channels.length === 0 && o.patterns.length === 0 && o.shardChannels.length === 0 ? [DEFAULT_PATTERN] : o.patterns;
  if (patterns !== o.patterns) io.stderr.write(`redis-print: no --channel or --pattern given; watching the pattern ${DEFAULT_PATTERN} (every Phoenix channel)\n`);

  const select = messageFilter(o);
  const color = colorEnabled(o.color, io.env, io.stdout.isTTY === true);
  const pretty: PrettyOptions = { width: o.width, charlists: o.charlists, palette: color ? IEX_PALETTE : undefined, ui: uiStyles(color) };
  const printStatus = statusPrinter(io.stderr);
  let lostSince: number | undefined; // for the summary: stopped in the middle of a gap
  const status = (s: SubscriberStatus): void => {
    if (s.type === 'reconnecting') lostSince ??= s.since;
    else if (s.type === 'reconnected') lostSince = undefined;
    printStatus(s);
  };
  const drops = new DropReporter(io.stderr);

  let sub: Subscriber;
  try {
    sub = await openSubscriber(conn, { channels: o.channels, patterns, exact: o.exact, shardChannels: o.shardChannels, onStatus: status, queue: { limit: o.bufferMessages, maxBytes: o.bufferBytes, onDrop: drops.onDrop }, reconnect: o.reconnect ? DEFAULT_RECONNECT : false, keepAliveMs: o.keepAliveMs }, io.signal);
  } catch (e) {
    if (io.signal.aborted) return signalExit(io.signal);
    if (e instanceof ConnectionError) {
      io.stderr.write(`redis-print: ${safeLine(e.message)}\n`);
      return ExitCode.CONNECTION;
    }
    throw e;
  }

  const out = new BatchedOutput(io.stdout, FLUSH_BYTES, () => void sub.close()); // the reader went away: stop now
  let timedOut = false;
  const timer =
    o.timeoutSeconds === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void sub.close();
        }, o.timeoutSeconds * 1000);
  // On a signal the subscriber stops reading by itself (QUIT); what is queued is printed until the
  // queue is empty or STOP_FLUSH_MS have passed, whichever comes first.
  let unprinted = 0;
  let stopTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    stopTimer = setTimeout(() => {
      unprinted = sub.queued;
      out.cutOff();
      void sub.close();
    }, STOP_FLUSH_MS);
  };
  io.signal.addEventListener('abort', onAbort, { once: true });

  let seen = 0;
  let printed = 0;
  let gaps = 0;
  let gapMs = 0;
  let exit: number = ExitCode.OK;
  let sliceStart = performance.now();
  try {
    const items = sub[Symbol.asyncIterator]();
    for (;;) {
      // Take what is already queued synchronously: a promise per message cost more than decoding it.
      let item = sub.poll();
      if (item === undefined) {
        const next = await items.next();
        if (next.done === true) break;
        item = next.value;
      }
      switch (item.type) {
        case 'message': {
          seen++;
          const view = analyze(item.payload, o.format, o.envelope);
          if (!select(view)) break;
          const meta = { time: new Date(item.receivedAt), channel: item.channel, ...(item.pattern !== undefined ? { pattern: item.pattern } : {}), ...(item.sharded ? { sharded: true } : {}) };
          if (o.json) {
            out.add(toRecord(view, meta, o.raw) + '\n');
          } else {
            out.add((o.header ? toPretty(view, meta, pretty) : body(view, pretty)) + '\n');
          }
          printed++;
          break;
        }
        case 'gap':
          gaps++;
          gapMs += item.to - item.from;
          // --no-header is RedisPrint's output, bodies only: markers go to stderr alone there.
          if (o.json) out.add(gapRecord(item) + '\n');
          else if (o.header) out.add(gapLine(item, pretty.ui) + '\n');
          break;
        case 'drop':
          if (o.json) out.add(dropRecord(item) + '\n');
          else if (o.header) out.add(dropLine(item, pretty.ui) + '\n');
          break;
      }
      if (o.count !== undefined && printed >= o.count) break;
      if (out.size >= FLUSH_BYTES || sub.queued === 0) await out.flush();
      if (performance.now() - sliceStart > SLICE_MS) {
        await out.flush();
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  } catch (e) {
    if (!(e instanceof ConnectionError)) throw e;
    exit = ExitCode.CONNECTION_LOST; // the status printer has said why
  } finally {
    if (timer) clearTimeout(timer);
    clearTimeout(stopTimer);
    io.signal.removeEventListener('abort', onAbort);
    await out.finish();
    await sub.close();
    out.dispose();
    drops.dispose(!out.gone);
  }

  if (out.gone) {
    const error = out.error;
    // EPIPE: the reader (`| head`) has seen enough. That is the end, not an error.
    if (error === undefined || error.code === 'EPIPE') return exit;
    io.stderr.write(`redis-print: cannot write to stdout: ${error.message}\n`);
    return ExitCode.OUTPUT;
  }
  if (io.signal.aborted) {
    const parts = [`${plural(printed, 'message')} printed`, `${sub.dropped} dropped`, gaps === 0 ? 'no gaps' : `${plural(gaps, 'gap')} (${seconds(gapMs)})`];
    if (seen > printed) parts.push(`${seen - printed} filtered out`);
    if (unprinted > 0) parts.push(`${unprinted} still queued not printed (stopped after ${seconds(STOP_FLUSH_MS)})`);
    if (lostSince !== undefined) parts.push(`stopped while reconnecting (disconnected since ${clock(new Date(lostSince))})`);
    io.stderr.write(`redis-print: stopped by ${String(io.signal.reason)}: ${parts.join(', ')}\n`);
    return signalExit(io.signal);
  }
  if (timedOut && o.count !== undefined && printed < o.count) {
    io.stderr.write(`redis-print: timed out after ${o.timeoutSeconds} s with ${printed} of ${o.count} messages\n`);
    return ExitCode.TIMEOUT;
  }
  return exit;
}

/** Where to connect: the connection flags, --askpass on stdin and REDISCLI_AUTH (exit 2 for bad settings). */
function connection(o: SubscribeOptions, io: Io): Promise<ConnectionOptions> {
  return resolveConnection(o.connection, io);
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

/** A "still reconnecting" line at most this often, after the first "lost …; reconnecting…". */
const STILL_RECONNECTING_MS = 15_000;

function statusPrinter(out: Writable): (s: SubscriberStatus) => void {
  // Every line passes through safeLine once: targets, reasons and server replies are not ours to trust.
  const stderr = { write: (text: string) => out.write(safeLine(text.replace(/\n$/, '')) + '\n') };
  let lastReconnectLine = 0;
  return (s) => {
    switch (s.type) {
      case 'connected':
        stderr.write(`redis-print: connected to ${s.target}\n`);
        break;
      case 'subscribed': {
        const what = [
          s.channels.length ? `channel${s.channels.length > 1 ? 's' : ''} ${s.channels.map(safeLine).join(', ')}` : '',
          s.patterns.length ? `pattern${s.patterns.length > 1 ? 's' : ''} ${s.patterns.map(safeLine).join(', ')}` : '',
          s.shardChannels?.length ? `shard channel${s.shardChannels.length > 1 ? 's' : ''} ${s.shardChannels.map(safeLine).join(', ')}` : '',
        ].filter(Boolean);
        const how = s.channels.length && !s.exact ? ' (channels via escaped PSUBSCRIBE: not counted by PUBSUB NUMSUB)' : '';
        stderr.write(`redis-print: subscribed to ${what.join(' and ')}${how}\n`);
        break;
      }
      case 'reconnecting': {
        const now = Date.now();
        if (s.attempt === 1) {
          stderr.write(`redis-print: connection to ${s.target} lost at ${clock(new Date(s.since))} (${safeLine(s.reason)}); reconnecting…\n`);
        } else if (now - lastReconnectLine >= STILL_RECONNECTING_MS) {
          const why = s.error ? `: ${safeLine(s.error.message)}` : '';
          stderr.write(`redis-print: still reconnecting to ${s.target}, ${seconds(now - s.since)} since the loss (attempt ${s.attempt - 1} failed${why}); next attempt in ${seconds(s.delayMs)}\n`);
        } else {
          break;
        }
        lastReconnectLine = now;
        break;
      }
      case 'reconnected':
        stderr.write(
          `redis-print: reconnected at ${clock(new Date(s.gap.to))} after ${seconds(s.gap.to - s.gap.from)}; messages published in between are lost (Pub/Sub is at-most-once)\n`,
        );
        break;
      case 'disconnected':
        // The subscription is over because of this error (exit 5); a plain close says nothing.
        if (s.error?.code === 'ECONNLOST') stderr.write(`redis-print: ${s.error.message} (at ${clock(new Date())}); not reconnecting (--no-reconnect)\n`);
        else if (s.error) stderr.write(`redis-print: connection to ${s.target} lost and cannot be re-established: ${s.error.message}\n`);
        break;
      case 'warning':
        stderr.write(`redis-print: warning: ${s.message}\n`);
        break;
      case 'connecting':
        break;
    }
  };
}

function signalExit(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? ExitCode.SIGTERM : ExitCode.SIGINT;
}
