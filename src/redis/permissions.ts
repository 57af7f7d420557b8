/**
 * Turning a NOPERM on (P|S)SUBSCRIBE into a message that names what was refused and the ACL rule
 * that would allow it.
 *
 * Redis refuses a whole multi-argument PSUBSCRIBE without saying which argument it objects to, so
 * after a refusal each argument is tried alone on the same connection (an error reply leaves the
 * connection usable; the subscriptions that succeed are dropped with it).
 *
 * Why the hints differ by command (Redis 7 `ACLCheckChannelAgainstList`): SUBSCRIBE and SSUBSCRIBE
 * channels are matched against the user's `&` globs, but a PSUBSCRIBE pattern must be equal to one
 * of them, literally — a user with `&phx:*` may PSUBSCRIBE `phx:*` but not `phx:a*`, nor the escaped
 * pattern an exact channel is watched through.
 */
import { ConnectionError, firstLine } from './ConnectionError.js';
import { escapeGlob, type SubscriptionPlan } from './SubscriptionPlan.js';

export type SubscribeCommand = 'PSUBSCRIBE' | 'SUBSCRIBE' | 'SSUBSCRIBE';

/** One argument of one subscribe command. */
export interface Subscription {
  readonly command: SubscribeCommand;
  readonly argument: string;
  /** For an exact channel watched through its escaped pattern: the channel. */
  readonly channel?: string;
}

/** Sends one subscribe command with one argument; rejects with the server's error. */
export type TrySubscribe = (command: SubscribeCommand, argument: string) => Promise<unknown>;

/** Most arguments tried one by one; beyond that the message says "one of …". */
const MAX_PROBES = 32;

/** What the classic plan sends, one entry per argument. */
export function planSubscriptions(plan: SubscriptionPlan): Subscription[] {
  const escaped = new Map(plan.request.channels.map((channel) => [escapeGlob(channel), channel]));
  const patterns = new Set(plan.request.patterns);
  return [
    ...plan.psubscribe.map((argument): Subscription => {
      const channel = patterns.has(argument) ? undefined : escaped.get(argument);
      return channel === undefined ? { command: 'PSUBSCRIBE', argument } : { command: 'PSUBSCRIBE', argument, channel };
    }),
    ...plan.subscribe.map((argument): Subscription => ({ command: 'SUBSCRIBE', argument })),
  ];
}

/**
 * A NOPERM `failure` (from `toConnectionError`) rewritten as `cannot subscribe on <target>:
 * permission denied: user "u" may not …; allow it with ACL SETUSER u …`.
 */
export async function explainNoPerm(
  failure: ConnectionError,
  subscriptions: readonly Subscription[],
  trySubscribe: TrySubscribe,
  username: string | undefined,
): Promise<ConnectionError> {
  const user = username ?? 'default';
  const cause = failure.cause;
  const text = cause instanceof Error ? cause.message : failure.message;
  const make = (detail: string): ConnectionError =>
    new ConnectionError('NOPERM', failure.target, `cannot subscribe on ${failure.target}: permission denied: user "${user}" ${detail}`, { cause });

  // "NOPERM this user has no permissions to run the 'psubscribe' command"
  const command = /run the '([a-z|]+)' command/i.exec(text)?.[1]?.toUpperCase();
  if (command !== undefined) {
    const exactHint = command === 'PSUBSCRIBE' && subscriptions.some((s) => s.channel !== undefined) ? ', or watch the exact channels with exact mode (--exact, SUBSCRIBE)' : '';
    return make(`may not run ${command}; allow it with ACL SETUSER ${user} +${command.toLowerCase()}${exactHint}`);
  }

  const denied: Subscription[] = [];
  if (subscriptions.length === 1) denied.push(...subscriptions);
  else {
    for (const subscription of subscriptions.slice(0, MAX_PROBES)) {
      try {
        await trySubscribe(subscription.command, subscription.argument);
      } catch (error) {
        if (!(error instanceof Error && /^NOPERM/.test(error.message))) break; // the connection is gone: say what we know
        denied.push(subscription);
      }
    }
  }
  if (denied.length === 0) return make(`may not use one of ${subscriptions.map(describe).join(', ')} (${firstLine(text)})`);
  const rules = denied.map((s) => `&${s.argument}`).join(' ');
  const exact = denied.filter((s) => s.channel !== undefined);
  const notes = [
    `allow ${denied.length === 1 ? 'it' : 'them'} with ACL SETUSER ${user} ${rules}`,
    ...(denied.some((s) => s.command === 'PSUBSCRIBE' && s.channel === undefined) ? ['(a PSUBSCRIBE pattern must equal one of the user\'s channel rules, character for character)'] : []),
    ...(exact.length > 0 ? [`or watch the exact channel${exact.length > 1 ? 's' : ''} in exact mode (--exact, SUBSCRIBE), which the user's channel globs can match`] : []),
  ];
  return make(`may not use ${denied.map(describe).join(', ')}; ${notes.join(' ')}`);
}

function describe(s: Subscription): string {
  switch (s.command) {
    case 'PSUBSCRIBE':
      return s.channel === undefined ? `the pattern ${quote(s.argument)}` : `the channel ${quote(s.channel)} (watched as the pattern ${quote(s.argument)})`;
    case 'SUBSCRIBE':
      return `the channel ${quote(s.argument)}`;
    case 'SSUBSCRIBE':
      return `the shard channel ${quote(s.argument)}`;
  }
}

/** In double quotes, control characters and `"` escaped, backslashes kept (as ACL rules are typed). */
function quote(name: string): string {
  return `"${name.replace(/[\u0000-\u001f\u007f"]/g, (c) => JSON.stringify(c).slice(1, -1))}"`;
}

