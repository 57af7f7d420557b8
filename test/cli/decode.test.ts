import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/memory-io.js';
import { BIN, runCli } from '../helpers/cli-process.js';
import { fixtureBytes } from '../fixtures/etf/corpus.js';

const file = (name: string) => new URL(`../fixtures/etf/${name}.bin`, import.meta.url).pathname;
const inspectText = (name: string) => readFileSync(new URL(`../fixtures/etf/${name}.inspect.txt`, import.meta.url), 'utf8');
const v3 = Buffer.from(fixtureBytes('phoenix_v3_broadcast'));
const ESC = /\u001b\[[0-9;]*m/g;

describe('decode: inputs', () => {
  it('a file, with the envelope shown as a header', async () => {
    const r = await runMain(['decode', file('phoenix_v3_broadcast')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('etf 218 B n1 → rooms:lobby new:msg (phoenix_v3, mode except, dispatcher Phoenix.Channel.Server)\n%{"body" => "hello", "user" => "alice"}\n');
    expect(r.stderr).toBe('');
  });
  it('stdin, raw (absent FILE and -)', async () => {
    for (const argv of [['decode'], ['decode', '-']]) {
      const r = await runMain([...argv, '--envelope', 'none', '--charlists', 'quotes'], { stdin: v3 });
      expect(r.stdout).toBe(`etf 218 B\n${inspectText('phoenix_v3_broadcast')}\n`);
    }
  });
  it('hex pasted from IEx, as <<131, 104, ...>>', async () => {
    const pasted = `<<${[...v3].join(', ')}>>`;
    const r = await runMain(['decode', '--input', 'hex', '--json'], { stdin: pasted });
    expect(JSON.parse(r.stdout)).toMatchObject({ envelope: 'phoenix_v3', payload: { body: 'hello' } });
  });
  it('hex and base64 text', async () => {
    const hex = await runMain(['decode', '--input', 'hex', '--json'], { stdin: v3.toString('hex').replace(/(.{32})/g, '$1\n') });
    const b64 = await runMain(['decode', '--input', 'base64', '--json'], { stdin: v3.toString('base64') });
    expect(hex.stdout).toBe(b64.stdout);
    expect(JSON.parse(hex.stdout)).toMatchObject({ format: 'etf', bytes: 218 });
  });
  it('a missing file is one line and exit 2', async () => {
    const r = await runMain(['decode', '/nonexistent/x.bin']);
    expect([r.code, r.stderr]).toEqual([2, 'redis-print: cannot read /nonexistent/x.bin: no such file\n']);
  });
});

describe('decode --json', () => {
  it('jq -r .payload.body gets the body: the record is plain JSON for a JSON client payload', async () => {
    const r = await runMain(['decode', '--json', file('phoenix_v3_broadcast')]);
    const rec = JSON.parse(r.stdout) as { payload: { body: string } };
    expect(rec.payload.body).toBe('hello');
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
  it('--envelope none gives the whole term as value', async () => {
    const r = await runMain(['decode', '--json', '--envelope', 'none', file('phoenix_v3_broadcast')]);
    const rec = JSON.parse(r.stdout) as { value: { $tuple: unknown[] }; envelope?: string };
    expect(rec.envelope).toBeUndefined();
    expect(rec.value.$tuple[0]).toBe(3);
    expect(rec.value.$tuple[1]).toEqual({ $atom: 'except' });
  });
});

describe('decode: failures', () => {
  it('exit 1, one line naming format, code and offset, then a hex dump around it', async () => {
    const bad = Buffer.concat([v3.subarray(0, 100)]);
    const r = await runMain(['decode'], { stdin: bad });
    expect(r.code).toBe(1);
    const [line, ...dump] = r.stderr.trimEnd().split('\n');
    expect(line).toMatch(/^redis-print: cannot decode as etf: truncated at offset \d+: .* needs \d+ bytes, \d+ remain$/);
    expect(dump[0]).toMatch(/^[0-9a-f]{8}: [0-9a-f ]+ /);
    expect(r.stdout).toBe('');
  });
  it('with --json the error record also goes to stdout, with the payload as base64', async () => {
    const r = await runMain(['decode', '--json'], { stdin: Buffer.from([131, 200]) });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ type: 'message', format: 'etf', bytes: 2, error: { code: 'unknown_tag', offset: 1, message: 'unknown tag 200 (tag 200) at offset 1' }, raw: 'g8g=' });
  });
});

describe('decode: colour', () => {
  it('--color gives IEx colours; stripped, the text is identical to --no-color', async () => {
    const colored = await runMain(['decode', '--color', '--envelope', 'none', file('phoenix_v3_broadcast')]);
    const plain = await runMain(['decode', '--no-color', '--envelope', 'none', file('phoenix_v3_broadcast')]);
    expect(colored.stdout).toContain('\u001b[36m:except\u001b[0m');
    expect(colored.stdout).toContain('\u001b[32m"rooms:lobby"\u001b[0m');
    expect(colored.stdout.replace(ESC, '')).toBe(plain.stdout);
  });
  it('a TTY colours unless NO_COLOR; FORCE_COLOR colours a pipe; --no-color wins over FORCE_COLOR', async () => {
    const f = file('phoenix_v3_broadcast');
    expect((await runMain(['decode', f], { tty: true })).stdout).toMatch(ESC);
    expect((await runMain(['decode', f], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ESC);
    expect((await runMain(['decode', f], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ESC);
    expect((await runMain(['decode', f, '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ESC);
  });
});

describe('decode: terminal safety', () => {
  it('no control character of a text or binary payload reaches stdout raw', async () => {
    const evil = Buffer.from('title\u001b]0;pwned\u0007 \u001b[2J\r hidden \u202e reversed \u0085 next');
    for (const format of ['auto', 'text', 'binary']) {
      const r = await runMain(['decode', '--format', format], { stdin: evil });
      expect(r.stdout, format).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    }
    // An Erlang binary holding a bidi override: Elixir prints it raw, redis-print escapes it (README).
    const etf = Buffer.concat([Buffer.from([131, 109, 0, 0, 0, 9]), Buffer.from('a\u202eb\u2028c')]);
    const inspected = await runMain(['decode'], { stdin: etf });
    expect(inspected.stdout).toBe('etf 15 B\n"a\\u202Eb\\u2028c"\n');
    const json = await runMain(['decode', '--json'], { stdin: evil });
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});

describe('the built binary', () => {
  it('--version, --help, and a usage error', async () => {
    const v = await runCli(['--version']);
    expect([v.code, v.stdout.trim()]).toEqual([0, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version]);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: redis-print');
    const bad = await runCli(['decode', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("redis-print: error: unknown option '--bogus'\n");
  });
  it('`redis-print decode --json f.bin | jq -r .payload.body` prints the body (real jq)', () => {
    const out = execFileSync('sh', ['-c', `node ${BIN} decode --json ${file('phoenix_v3_broadcast')} | jq -r .payload.body`], { encoding: 'utf8' });
    expect(out).toBe('hello\n');
  });
  it('decodes a pipe', async () => {
    const r = await runCli(['decode', '--json'], v3);
    expect(JSON.parse(r.stdout)).toMatchObject({ topic: 'rooms:lobby' });
  });
});
