import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/program.js';
import { bufferBounds, DEFAULT_BUFFER } from '../../src/cli/bufferFlag.js';

describe('--buffer', () => {
  it('defaults to 10 000 messages and 64 MiB of payload', () => {
    const r = parseCli(['subscribe']);
    expect(r.kind === 'run' && r.options).toMatchObject({ bufferMessages: 10_000, bufferBytes: 64 * 1024 * 1024, reconnect: true });
    expect(DEFAULT_BUFFER).toEqual({ messages: 10_000, bytes: 64 * 1024 * 1024 });
  });

  it('a plain number is messages, a size is bytes; repeating sets both', () => {
    expect(parseCli(['subscribe', '--buffer', '500'])).toMatchObject({ options: { bufferMessages: 500, bufferBytes: 64 * 1024 * 1024 } });
    expect(parseCli(['subscribe', '--buffer', '512KB'])).toMatchObject({ options: { bufferMessages: 10_000, bufferBytes: 512 * 1024 } });
    expect(parseCli(['subscribe', '--buffer', '1gb', '--buffer', '1000000'])).toMatchObject({ options: { bufferMessages: 1_000_000, bufferBytes: 1024 ** 3 } });
  });

  it('units as in redis.conf: k/m/g are powers of 1000, kb/mb/gb (kib/mib/gib) of 1024, any case', () => {
    const bytes = (v: string) => bufferBounds(v).bytes;
    expect([bytes('100b'), bytes('1k'), bytes('1kb'), bytes('1KiB'), bytes('2m'), bytes('2MB'), bytes('1g'), bytes('1GB')]).toEqual([
      100, 1000, 1024, 1024, 2_000_000, 2 * 1024 ** 2, 1e9, 1024 ** 3,
    ]);
    expect(bytes('0.5mb')).toBe(512 * 1024);
  });

  it('refuses anything else, with a usage error (exit 2)', () => {
    for (const bad of ['0', '-1', '0kb', 'lots', '10 parsecs', '1.5', '64MBs', '']) {
      const r = parseCli(['subscribe', '--buffer', bad]);
      expect(r).toMatchObject({ kind: 'exit', code: 2 });
      expect(r.kind === 'exit' && r.stderr).toMatch(/--buffer takes a number of messages/);
    }
  });

  it('--no-reconnect', () => {
    expect(parseCli(['subscribe', '--no-reconnect'])).toMatchObject({ options: { reconnect: false } });
  });
});
