import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/redis/index.js';
import { explainNoPerm, planSubscriptions, type TrySubscribe } from '../../src/redis/permissions.js';
import { SubscriptionPlan } from '../../src/redis/SubscriptionPlan.js';

const channelDenied = new Error('NOPERM this user has no permissions to access one of the channels used as arguments');
const failure = (cause: Error): ConnectionError =>
  new ConnectionError('NOPERM', 'h:1', `cannot subscribe on h:1: permission denied (${cause.message})`, { cause });

/** A server that allows exactly these arguments. */
const allowing =
  (...allowed: string[]): TrySubscribe =>
  async (_command, argument) => {
    if (!allowed.includes(argument)) throw channelDenied;
    return 1;
  };

describe('explainNoPerm', () => {
  it('names the refused pattern among several, tried one by one, and the rule to add', async () => {
    const plan = new SubscriptionPlan({ channels: [], patterns: ['phx:*', 'other:*'], exact: false });
    const error = await explainNoPerm(failure(channelDenied), planSubscriptions(plan), allowing('phx:*'), 'watcher');
    expect(error.code).toBe('NOPERM');
    expect(error.cause).toBe(channelDenied);
    expect(error.message).toBe(
      'cannot subscribe on h:1: permission denied: user "watcher" may not use the pattern "other:*"; ' +
        "allow it with ACL SETUSER watcher &other:* (a PSUBSCRIBE pattern must equal one of the user's channel rules, character for character)",
    );
  });

  it('an exact channel watched through its escaped pattern points to exact mode', async () => {
    const plan = new SubscriptionPlan({ channels: ['a*b'], patterns: [], exact: false });
    const error = await explainNoPerm(failure(channelDenied), planSubscriptions(plan), allowing(), undefined);
    expect(error.message).toBe(
      'cannot subscribe on h:1: permission denied: user "default" may not use the channel "a*b" (watched as the pattern "a\\*b"); ' +
        "allow it with ACL SETUSER default &a\\*b or watch the exact channel in exact mode (--exact, SUBSCRIBE), which the user's channel globs can match",
    );
  });

  it('a command the user may not run: the command to allow, nothing probed', async () => {
    const plan = new SubscriptionPlan({ channels: [], patterns: ['x'], exact: false });
    const probes: string[] = [];
    const cause = new Error("NOPERM this user has no permissions to run the 'ssubscribe' command");
    const error = await explainNoPerm(failure(cause), planSubscriptions(plan), async (_c, a) => probes.push(a), 'u');
    expect(error.message).toBe('cannot subscribe on h:1: permission denied: user "u" may not run SSUBSCRIBE; allow it with ACL SETUSER u +ssubscribe');
    expect(probes).toEqual([]);
  });

  it('names shard channels', async () => {
    const error = await explainNoPerm(failure(channelDenied), [{ command: 'SSUBSCRIBE', argument: 'room:1' }], allowing(), 'u');
    expect(error.message).toContain('may not use the shard channel "room:1"; allow it with ACL SETUSER u &room:1');
  });

  it('when the probes cannot tell (the connection went away), lists the candidates', async () => {
    const plan = new SubscriptionPlan({ channels: [], patterns: ['a*', 'b*'], exact: false });
    const gone: TrySubscribe = async () => {
      throw new Error('Connection is closed.');
    };
    const error = await explainNoPerm(failure(channelDenied), planSubscriptions(plan), gone, 'u');
    expect(error.message).toBe(
      'cannot subscribe on h:1: permission denied: user "u" may not use one of the pattern "a*", the pattern "b*" (NOPERM this user has no permissions to access one of the channels used as arguments)',
    );
  });
});
