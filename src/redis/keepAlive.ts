import type { RedisClient } from './client.js';

/**
 * PING `client` every `ms` while it is ready; a PING still unanswered at the next tick means the connection died
 * without a socket error (a partition, a NAT timeout): `onDead(reason)` is told why, then the socket is destroyed,
 * so the client ends and its owner handles the loss as any other. Returns the function that stops it.
 */
export function keepAlive(client: RedisClient, ms: number, onDead: (reason: string) => void): () => void {
  if (ms <= 0) return () => {};
  let pending = false;
  const timer = setInterval(() => {
    if (client.status !== 'ready') return;
    if (pending) {
      clearInterval(timer);
      onDead(`no reply to PING for ${ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`}`);
      client.stream?.destroy();
      return;
    }
    pending = true;
    client.ping().then(
      () => void (pending = false),
      () => {}, // the connection is going away; its 'end' reports it
    );
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}
