import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPassword } from '../../src/cli/askpass.js';
import { connectionNotes, resolveConnection, type ConnectionFlags } from '../../src/cli/connectionFlags.js';
import { CliError } from '../../src/cli/exitCodes.js';
import type { Io } from '../../src/cli/io.js';
import { parseCli } from '../../src/cli/program.js';
import { connectionOptions } from '../../src/redis/index.js';

function flags(...argv: string[]): ConnectionFlags {
  const r = parseCli(['subscribe', ...argv]);
  if (r.kind !== 'run' || r.options.command !== 'subscribe') throw new Error(`expected to run: ${r.kind === 'exit' ? r.stderr : ''}`);
  return r.options.connection;
}

function usage(...argv: string[]): string {
  const r = parseCli(['subscribe', ...argv]);
  expect(r).toMatchObject({ kind: 'exit', code: 2 });
  return r.kind === 'exit' ? r.stderr : '';
}

/** An Io whose stderr is collected and whose stdin is `input` (a pipe unless `tty`). */
function fakeIo(input: PassThrough = new PassThrough(), env: Record<string, string> = {}): { io: Io; stderr: () => string } {
  let err = '';
  const sink = (onText: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        onText(chunk.toString('utf8'));
        done();
      },
    });
  const io: Io = { stdout: sink(() => {}), stderr: sink((s) => (err += s)), stdin: input, env, signal: new AbortController().signal };
  return { io, stderr: () => err };
}

describe('connection flags', () => {
  it('nothing given: undefined, so the defaults live in one place (connectionOptions)', () => {
    expect(flags()).toEqual({
      url: undefined,
      host: undefined,
      port: undefined,
      connectTimeoutMs: 5000,
      tls: false,
      cacert: undefined,
      cert: undefined,
      key: undefined,
      insecure: false,
      sni: undefined,
      user: undefined,
      password: undefined,
      askpass: false,
      db: undefined,
      sentinels: [],
      master: undefined,
      sentinelUser: undefined,
      sentinelPassword: undefined,
      cluster: false,
      seeds: [],
    });
    expect(Object.isFrozen(flags())).toBe(true);
  });

  it('every flag', () => {
    expect(flags('--url', 'rediss://h', '--cacert', 'ca.pem', '--cert', 'c.pem', '--key', 'k.pem', '--sni', 'n', '--user', 'u', '--password', 'p', '--db', '3', '--connect-timeout', '0.5')).toMatchObject({
      url: 'rediss://h',
      tls: true,
      cacert: 'ca.pem',
      cert: 'c.pem',
      key: 'k.pem',
      sni: 'n',
      user: 'u',
      password: 'p',
      db: 3,
      connectTimeoutMs: 500,
    });
    expect(flags('--sentinel', 'a:1', '--sentinel', '[::1]', '--master', 'm', '--sentinel-user', 'su', '--sentinel-password', 'sp')).toMatchObject({
      sentinels: ['a:1', '[::1]'],
      master: 'm',
      sentinelUser: 'su',
      sentinelPassword: 'sp',
    });
    expect(flags('--cluster', '--seed', 'b:2', '--seed', 'c')).toMatchObject({ cluster: true, seeds: ['b:2', 'c'] });
  });

  it('TLS details imply --tls; --seed implies --cluster', () => {
    for (const f of [['--cacert', 'x'], ['--cert', 'x', '--key', 'y'], ['--insecure'], ['--sni', 'n']]) expect(flags(...f).tls).toBe(true);
    expect(flags('--seed', 'h:1').cluster).toBe(true);
  });

  it('combinations that make no sense are usage errors, one line', () => {
    expect(usage('--sentinel', 'a:1', '--url', 'redis://h')).toMatch(/^redis-print: error: option '--sentinel <host:port>' cannot be used with option '--url <url>'\n$/);
    expect(usage('--sentinel', 'a:1', '--cluster')).toMatch(/cannot be used with option '--cluster'/);
    expect(usage('--password', 'p', '--askpass')).toMatch(/cannot be used with option '--askpass'/);
    expect(usage('--sentinel', 'a:b')).toMatch(/expected host:port, got 'a:b'/);
    expect(usage('--db', '-1')).toMatch(/--db/);
  });

  it('--shard-channel is a subscription, not a connection flag', () => {
    const r = parseCli(['subscribe', '--shard-channel', 'a', '--shard-channel', 'b']);
    expect(r.kind === 'run' && r.options.command === 'subscribe' && r.options.shardChannels).toEqual(['a', 'b']);
  });
});

describe('resolveConnection', () => {
  it('reads REDISCLI_AUTH from io.env, not from process.env', async () => {
    const { io } = fakeIo(new PassThrough(), { REDISCLI_AUTH: 'env-pw' });
    expect((await resolveConnection(flags('--user', 'u'), io)).password).toBe('env-pw');
    expect((await resolveConnection(flags(), fakeIo().io)).password).toBeUndefined();
  });

  it('--askpass reads the first line of a piped stdin, without a prompt', async () => {
    const input = new PassThrough();
    const { io, stderr } = fakeIo(input, { REDISCLI_AUTH: 'ignored' });
    input.end('s3cret\r\nrest of stdin\n');
    expect((await resolveConnection(flags('--askpass'), io)).password).toBe('s3cret');
    expect(stderr()).toBe('');
  });

  it('bad settings are exit 2 with the one-line message', async () => {
    const error = await resolveConnection(flags('--url', 'http://h'), fakeIo().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 2, message: 'invalid Redis URL http://h: unknown scheme http:// (expected redis:// or rediss://)' });
  });

  it('prints the --insecure warning and the database note', async () => {
    const { io, stderr } = fakeIo();
    await resolveConnection(flags('--insecure', '--db', '2'), io);
    expect(stderr().split('\n')).toEqual([
      'redis-print: warning: --insecure: the server certificate is not verified; anyone on the way can read and change the traffic',
      'redis-print: note: Pub/Sub ignores database numbers: database 2 changes nothing you receive (keyspace notifications name it in the channel, __keyspace@2__:…)',
      '',
    ]);
    expect(connectionNotes(connectionOptions({ url: 'redis://h/0' }))).toEqual([]);
  });
});

describe('readPassword', () => {
  /** A stdin that claims to be a terminal and records raw-mode switches. */
  function terminal(): PassThrough & { isTTY: boolean; setRawMode(raw: boolean): void; modes: boolean[] } {
    const tty = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[] });
    return Object.assign(tty, { setRawMode: (raw: boolean) => void tty.modes.push(raw) });
  }

  it('on a terminal: prompts on stderr, no echo, Backspace erases, Enter ends, raw mode restored', async () => {
    const tty = terminal();
    const { io, stderr } = fakeIo(tty);
    const password = readPassword(io);
    tty.write('pw');
    tty.write('x\u007f');
    tty.write('!\r');
    expect(await password).toBe('pw!');
    expect(stderr()).toBe('Password: \n');
    expect(tty.modes).toEqual([true, false]);
  });

  it('Ctrl-C at the prompt is an interruption (exit 130)', async () => {
    const tty = terminal();
    const password = readPassword(fakeIo(tty).io);
    tty.write('ab\u0003');
    await expect(password).rejects.toMatchObject({ exitCode: 130 });
    expect(tty.modes).toEqual([true, false]);
  });

  it('an empty answer is a usage error', async () => {
    const input = new PassThrough();
    input.end('\n');
    await expect(readPassword(fakeIo(input).io)).rejects.toMatchObject({ exitCode: 2, message: '--askpass: no password was given on stdin' });
  });
});
