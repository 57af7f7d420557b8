import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/program.js';

// Parsing is a pure function: argv in, frozen options (or an exit with its output) out.
describe('parseCli', () => {
  it('decode: defaults', () => {
    const r = parseCli(['decode']);
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.options).toEqual({
      command: 'decode',
      file: undefined,
      input: 'raw',
      format: 'auto',
      envelope: 'auto',
      json: false,
      color: undefined,
      width: 80,
      charlists: 'sigil',
    });
    expect(Object.isFrozen(r.options)).toBe(true);
  });

  it('decode: every flag', () => {
    const r = parseCli(['decode', 'f.bin', '--input', 'hex', '--format', 'etf', '--envelope', 'none', '--json', '--no-color', '--width', '40', '--charlists', 'quotes']);
    expect(r.kind === 'run' && r.options).toMatchObject({ file: 'f.bin', input: 'hex', format: 'etf', envelope: 'none', json: true, color: false, width: 40, charlists: 'quotes' });
    const c = parseCli(['decode', '--color']);
    expect(c.kind === 'run' && c.options.color).toBe(true);
  });

  it('subscribe: repeatable channels and patterns, numbers parsed', () => {
    const r = parseCli(['subscribe', '--channel', 'a', '--channel', 'b', '--pattern', 'phx:*', '--port', '6380', '--count', '3', '--timeout', '1.5', '--connect-timeout', '2']);
    expect(r.kind === 'run' && r.options).toMatchObject({
      command: 'subscribe',
      connection: { host: undefined, port: 6380, connectTimeoutMs: 2000 },
      channels: ['a', 'b'],
      patterns: ['phx:*'],
      count: 3,
      timeoutSeconds: 1.5,
      exact: false,
    });
  });

  it('--help and --version exit 0 with output on stdout', () => {
    const h = parseCli(['--help']);
    expect(h).toMatchObject({ kind: 'exit', code: 0 });
    expect(h.kind === 'exit' && h.stdout).toContain('subscribe');
    const v = parseCli(['--version']);
    expect(v.kind === 'exit' && v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const sub = parseCli(['subscribe', '--help']);
    expect(sub.kind === 'exit' && sub.code).toBe(0);
    expect(sub.kind === 'exit' && sub.stdout).toContain('--channel');
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown flag', ['decode', '--colr'], /unknown option '--colr'.*Did you mean --color\?/],
    ['a bad choice', ['decode', '--format', 'xml'], /--format.*xml/],
    ['a bad number', ['decode', '--width', 'wide'], /--width must be a whole number/],
    ['a bad port', ['subscribe', '--port', '70000'], /port must be 1\.\.65535/],
    ['a missing value', ['subscribe', '--channel'], /argument missing/],
    ['a timeout a Node timer cannot hold', ['subscribe', '--timeout', '9999999'], /must be at most 2147483 seconds/],
    ['a connect timeout a Node timer cannot hold', ['subscribe', '--connect-timeout', '3000000'], /must be at most 2147483 seconds/],
  ];
  for (const [what, argv, message] of usage) {
    it(`${what} is one line on stderr and exit 2`, () => {
      const r = parseCli(argv);
      expect(r.kind).toBe('exit');
      if (r.kind !== 'exit') return;
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^redis-print: error: /);
    });
  }

  it('no arguments: help on stderr, exit 2', () => {
    const r = parseCli([]);
    expect(r.kind === 'exit' && r.code).toBe(2);
    expect(r.kind === 'exit' && r.stderr).toContain('Usage: redis-print');
  });
});
