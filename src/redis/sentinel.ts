/**
 * Finding the current master through Sentinel: ask each sentinel in turn
 * `SENTINEL GET-MASTER-ADDR-BY-NAME <name>` and take the first answer.
 *
 * Asked again at every connect, so a reconnect after a failover reaches the new master. Sentinel
 * does kill the Pub/Sub clients of a demoted master (`CLIENT KILL TYPE pubsub` when it turns it
 * into a replica), but only some 10 s after the switch while the old master stays up; meanwhile
 * publishers already use the new one. So the connection also listens to a sentinel's
 * `+switch-master` and drops itself when its master is replaced (client.ts, `watchSwitch`).
 * Depends on a function that asks one sentinel, not on the client library, so a test can hand it
 * a plain function.
 */
import { describeTarget, type Address, type SentinelOptions } from './connection.js';
import { ConnectionError, explainError } from './ConnectionError.js';

/** Sends `SENTINEL GET-MASTER-ADDR-BY-NAME <name>` to one sentinel; resolves with the raw reply. */
export type AskSentinel = (sentinel: Address, signal: AbortSignal) => Promise<unknown>;

/**
 * The master's address, from the first sentinel that knows it.
 *
 * @throws ConnectionError `ESENTINEL` naming each sentinel and why it gave no address
 *   (unreachable, authentication failed, no master of that name); `signal.reason` when aborted.
 */
export async function resolveMaster(opts: SentinelOptions, ask: AskSentinel, signal: AbortSignal): Promise<Address> {
  const { masterName, sentinels } = opts.sentinel;
  const reasons: string[] = [];
  for (const sentinel of sentinels) {
    signal.throwIfAborted();
    let reply: unknown;
    try {
      reply = await ask(sentinel, signal);
    } catch (error) {
      signal.throwIfAborted();
      const { reason } = explainError(error, opts.connectTimeoutMs);
      // A Redis server (not a sentinel) answers "ERR unknown command 'SENTINEL', with args …".
      const notSentinel = /unknown command .?sentinel/i.test(reason);
      reasons.push(`sentinel ${describeTarget(sentinel)}: ${notSentinel ? 'not a sentinel (it does not know the SENTINEL command)' : reason}`);
      continue;
    }
    const address = masterAddress(reply);
    if (address !== undefined) return address;
    reasons.push(`sentinel ${describeTarget(sentinel)} monitors no master named "${masterName}"`);
  }
  const target = describeTarget(opts);
  throw new ConnectionError('ESENTINEL', target, `cannot connect to ${target}: ${reasons.join('; ')}`);
}

/** `[host, port]` as bulk strings (Buffers or strings), or nil for an unknown name. */
function masterAddress(reply: unknown): Address | undefined {
  if (!Array.isArray(reply) || reply.length < 2) return undefined;
  const host = String(reply[0]);
  const port = Number(String(reply[1]));
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/**
 * The new address of `masterName` from a `+switch-master` message
 * (`<name> <old-ip> <old-port> <new-ip> <new-port>`), or undefined for another master.
 */
export function switchedMaster(message: string, masterName: string): Address | undefined {
  const parts = message.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] !== masterName) return undefined;
  const port = Number(parts[4]);
  const host = parts[3] ?? '';
  return host !== '' && Number.isInteger(port) && port > 0 && port <= 65535 ? { host, port } : undefined;
}
