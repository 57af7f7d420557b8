import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { runCli, startCli, type RunningCli } from '../helpers/cli-process.js';

// ACL users and passwords, against the built binary. Every password below is distinctive, and no
// output of any run may contain one (stdout, stderr, JSON records, error messages).
const ADMIN = 'admin-Pw-7c1f';
const WATCHER = 'watch-Pw-9e2d';
const NOSUB = 'nosub-Pw-4b8a';
const PASSWORDS = [ADMIN, WATCHER, NOSUB, 'wrong-Pw-0000'];

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis([
    '--requirepass', ADMIN,
    // May watch phx:* (PSUBSCRIBE compares the pattern literally, so exactly `phx:*`) and subscribe to phx:… channels.
    '--user', 'watcher', 'on', `>${WATCHER}`, 'resetchannels', '&phx:*', '+psubscribe', '+subscribe', '+ping', '+client', '+auth', '+quit',
    // May not (P)SUBSCRIBE at all.
    '--user', 'nosub', 'on', `>${NOSUB}`, '&*', '+ping', '+client', '+auth', '+quit',
  ]);
});
afterAll(async () => {
  await redis?.stop();
});

const outputs: string[] = [];
afterEach(() => {
  for (const text of outputs.splice(0)) for (const password of PASSWORDS) expect(text).not.toContain(password);
});

const port = (): string => String(redis.port);

async function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = await runCli(['subscribe', '--port', port(), '--connect-timeout', '3', ...args], input, env);
  outputs.push(r.stdout, r.stderr);
  return r;
}

/** Subscribe, publish once subscribed, and expect the message; returns the process for more checks. */
async function receives(cli: RunningCli, channel = 'phx:lobby'): Promise<RunningCli> {
  await cli.waitForStderr('subscribed to');
  await redis.publish(channel, 'hello');
  const code = await cli.exited();
  outputs.push(cli.stdout(), cli.stderr());
  expect(code, cli.stderr()).toBe(0);
  expect(JSON.parse(cli.stdout())).toMatchObject({ channel, value: 'hello' });
  return cli;
}

const watch = (args: string[], env: Record<string, string> = {}): RunningCli =>
  startCli(['subscribe', '--port', port(), '--json', '--count', '1', ...args], env);

/** The one error line; a refusal after connecting comes after the `connected to` status line. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n').filter((line) => !line.startsWith('redis-print: connected to '));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('ACL users', () => {
  it('a user restricted to &phx:* watches phx:* with --user/--password', async () => {
    await receives(watch(['--user', 'watcher', '--password', WATCHER, '--pattern', 'phx:*']));
  });

  it('the password from REDISCLI_AUTH, as redis-cli reads it', async () => {
    await receives(watch(['--user', 'watcher', '--pattern', 'phx:*'], { REDISCLI_AUTH: WATCHER }));
  });

  it('user and password from the URL; the URL password wins over REDISCLI_AUTH', async () => {
    await receives(watch(['--url', `redis://watcher:${encodeURIComponent(WATCHER)}@127.0.0.1:${port()}`, '--pattern', 'phx:*'], { REDISCLI_AUTH: 'wrong-Pw-0000' }));
  });

  it('--askpass reads the password from stdin (no prompt when stdin is not a terminal)', async () => {
    const cli = watch(['--user', 'watcher', '--askpass', '--pattern', 'phx:*']);
    cli.child.stdin.end(`${WATCHER}\n`);
    const done = await receives(cli);
    expect(done.stderr()).not.toContain('Password:');
  });

  it('--askpass with nothing on stdin is a usage error', async () => {
    const r = await run(['--user', 'watcher', '--askpass', '--pattern', 'phx:*'], {}, '');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('redis-print: --askpass: no password was given on stdin');
  });

  it('a pattern outside the user\'s channels: which one, and the ACL rule that allows it; exit 3', async () => {
    const r = await run(['--user', 'watcher', '--password', WATCHER, '--pattern', 'phx:*', '--pattern', 'other:*']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toBe(
      `redis-print: cannot subscribe on 127.0.0.1:${port()}: permission denied: user "watcher" may not use the pattern "other:*"; ` +
        'allow it with ACL SETUSER watcher &other:* (a PSUBSCRIBE pattern must equal one of the user\'s channel rules, character for character)',
    );
  });

  it('an exact channel is refused through PSUBSCRIBE; the message points to --exact, which works', async () => {
    const r = await run(['--user', 'watcher', '--password', WATCHER, '--channel', 'phx:lobby']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toContain('may not use the channel "phx:lobby" (watched as the pattern "phx:lobby"); allow it with ACL SETUSER watcher &phx:lobby or watch the exact channel in exact mode (--exact, SUBSCRIBE)');
    await receives(watch(['--user', 'watcher', '--password', WATCHER, '--channel', 'phx:lobby', '--exact']));
  });

  it('a user without PSUBSCRIBE: the command to allow', async () => {
    const r = await run(['--user', 'nosub', '--password', NOSUB, '--pattern', 'phx:*']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toBe(`redis-print: cannot subscribe on 127.0.0.1:${port()}: permission denied: user "nosub" may not run PSUBSCRIBE; allow it with ACL SETUSER nosub +psubscribe`);
  });

  it('a wrong password: one line, exit 3, the password nowhere', async () => {
    const r = await run(['--user', 'watcher', '--password', 'wrong-Pw-0000', '--pattern', 'phx:*']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toBe(`redis-print: cannot connect to 127.0.0.1:${port()}: authentication failed (WRONGPASS invalid username-password pair or user is disabled.)`);
    const url = await run(['--url', `redis://watcher:wrong-Pw-0000@127.0.0.1:${port()}`, '--pattern', 'phx:*']);
    expect(url.code).toBe(3);
  });

  it('no password for a server that requires one', async () => {
    const r = await run(['--pattern', 'phx:*']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^redis-print: cannot connect to 127\\.0\\.0\\.1:${port()}: the server requires a password \\(NOAUTH`));
  });

  it('a user without a password anywhere is a usage error', async () => {
    const r = await run(['--user', 'watcher', '--pattern', 'phx:*']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('user "watcher" needs a password');
  });

  it('a bad URL with a password shows it redacted', async () => {
    const r = await run(['--url', `redis://watcher:${WATCHER}@127.0.0.1:notaport`]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('redis://watcher:***@127.0.0.1:notaport');
  });
});
