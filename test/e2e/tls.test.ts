import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { runCli, startCli } from '../helpers/cli-process.js';
import { makeTlsFiles, type TlsFiles } from '../helpers/tls-certs.js';

// The built binary against a redis-server with a TLS port, certificates made with openssl at test
// time. The plain port stays open for the helper's PING and PUBLISH; the CLI only uses the TLS port.
let certs: TlsFiles;
let redis: RedisServer;
let tlsPort: number;
beforeAll(async () => {
  certs = await makeTlsFiles();
  tlsPort = await freePort();
  redis = await startRedis([
    '--tls-port', String(tlsPort),
    '--tls-cert-file', certs.serverCert,
    '--tls-key-file', certs.serverKey,
    '--tls-ca-cert-file', certs.ca,
    '--tls-auth-clients', 'no',
  ]);
});
afterAll(async () => {
  await redis?.stop();
  await certs?.remove();
});

/** Subscribe with `args`, publish one message once subscribed, expect it as a JSON record. */
async function receives(args: string[]): Promise<string> {
  const cli = startCli(['subscribe', '--channel', 'tls:c', '--json', '--count', '1', ...args]);
  await cli.waitForStderr('subscribed to');
  await redis.publish('tls:c', 'over tls');
  expect(await cli.exited()).toBe(0);
  expect(JSON.parse(cli.stdout())).toMatchObject({ channel: 'tls:c', value: 'over tls' });
  return cli.stderr();
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('TLS', () => {
  it('--tls with --cacert verifies the server and receives', async () => {
    const stderr = await receives(['--tls', '--port', String(tlsPort), '--cacert', certs.ca]);
    expect(stderr).toContain(`connected to 127.0.0.1:${tlsPort}`);
  });

  it('a rediss:// URL turns TLS on; --sni checks the certificate against that name', async () => {
    await receives(['--url', `rediss://127.0.0.1:${tlsPort}`, '--cacert', certs.ca, '--sni', 'localhost']);
  });

  it('a CA that did not sign the certificate: one line naming host:port and the reason, exit 3', async () => {
    const r = await runCli(['subscribe', '--tls', '--port', String(tlsPort), '--cacert', certs.otherCa, '--channel', 'x']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^redis-print: cannot connect to 127\\.0\\.0\\.1:${tlsPort}: certificate verify failed: .+ \\([A-Z_]+\\)$`));
    expect(r.stdout).toBe('');
  });

  it('a name the certificate does not cover fails verification, exit 3', async () => {
    const r = await runCli(['subscribe', '--port', String(tlsPort), '--cacert', certs.ca, '--sni', 'wrong.example', '--channel', 'x']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toContain(`cannot connect to 127.0.0.1:${tlsPort}: certificate verify failed: Hostname/IP does not match certificate's altnames`);
  });

  it('--insecure connects without verifying, and says so once', async () => {
    const stderr = await receives(['--port', String(tlsPort), '--insecure', '--cacert', certs.otherCa]);
    expect(stderr.split('\n').filter((l) => l.includes('--insecure'))).toEqual([
      'redis-print: warning: --insecure: the server certificate is not verified; anyone on the way can read and change the traffic',
    ]);
  });

  it('a client certificate, when the server asks for one', async () => {
    await redis.cli('CONFIG', 'SET', 'tls-auth-clients', 'yes');
    try {
      const refused = await runCli(['subscribe', '--port', String(tlsPort), '--cacert', certs.ca, '--channel', 'x', '--connect-timeout', '3']);
      expect(refused.code).toBe(3);
      expect(oneLine(refused.stderr)).toBe(`redis-print: cannot connect to 127.0.0.1:${tlsPort}: TLS handshake failed: the server requires a client certificate (--cert and --key)`);
      await receives(['--port', String(tlsPort), '--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey]);
    } finally {
      await redis.cli('CONFIG', 'SET', 'tls-auth-clients', 'no');
    }
  });

  it('a plain connection to the TLS port: the reset, with the likely cause', async () => {
    const r = await runCli(['subscribe', '--port', String(tlsPort), '--channel', 'x']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toBe(`redis-print: cannot connect to 127.0.0.1:${tlsPort}: connection reset by the server (a TLS port? then use --tls or rediss://)`);
  });

  it('an unreadable, non-PEM or incomplete TLS file is a usage error, exit 2, before connecting', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--cacert', `${certs.dir}/nope.pem`], /^redis-print: cannot read the CA certificate file .*nope\.pem: no such file$/],
      [['--cacert', certs.serverKey], /^redis-print: the CA certificate file .* is not PEM \(no "BEGIN CERTIFICATE" block\)$/],
      [['--cert', certs.clientCert], /^redis-print: a client certificate needs its private key/],
      [['--cert', certs.clientCert, '--key', certs.serverKey], /^redis-print: cannot use the private key .* with the certificate .*: key values mismatch$/],
    ];
    for (const [flags, message] of cases) {
      // Port 1: nothing listens there, so a connection attempt would show as exit 3.
      const r = await runCli(['subscribe', '--port', '1', '--channel', 'x', ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(message);
    }
  });
});
