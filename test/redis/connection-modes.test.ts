import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atAddress } from '../../src/redis/connection.js';
import { explainError } from '../../src/redis/ConnectionError.js';
import { tlsConnectOptions } from '../../src/redis/tls.js';
import { ConnectionError, connectionOptions, describeTarget, type ConnectionInput } from '../../src/redis/index.js';
import { makeTlsFiles, type TlsFiles } from '../helpers/tls-certs.js';

let certs: TlsFiles;
beforeAll(async () => {
  certs = await makeTlsFiles();
});
afterAll(async () => {
  await certs?.remove();
});

function rejects(input: ConnectionInput, env = {}): ConnectionError {
  try {
    connectionOptions(input, env);
  } catch (error) {
    if (error instanceof ConnectionError) return error;
    throw error;
  }
  throw new Error('expected a ConnectionError');
}

describe('passwords', () => {
  it('REDISCLI_AUTH is used only when neither the URL nor the password input gives one', () => {
    const env = { REDISCLI_AUTH: 'fromenv' };
    expect(connectionOptions({}, env).password).toBe('fromenv');
    expect(connectionOptions({ password: 'flag' }, env).password).toBe('flag');
    expect(connectionOptions({ url: 'redis://:url@h' }, env).password).toBe('url');
    expect(connectionOptions({ username: 'u' }, env)).toMatchObject({ username: 'u', password: 'fromenv' });
    expect(connectionOptions({}, { REDISCLI_AUTH: '' }).password).toBeUndefined();
  });

  it('a user without any password is refused', () => {
    expect(rejects({ username: 'alice' }).message).toBe('invalid connection settings for 127.0.0.1:6379: user "alice" needs a password (a password flag, the URL, or REDISCLI_AUTH)');
  });

  it('--db and the URL database are kept; the URL wins', () => {
    expect(connectionOptions({ db: 3 }).db).toBe(3);
    expect(connectionOptions({ url: 'redis://h/2', db: 3 }).db).toBe(2);
    expect(rejects({ db: 'x' }).code).toBe('EBADURL');
  });
});

describe('TLS settings', () => {
  it('rediss:// or tls turns TLS on; files are read once, verification is on by default', () => {
    const opts = connectionOptions({ url: 'rediss://h:6380', caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey, servername: 'redis.example' });
    expect(opts.tls).toMatchObject({ verify: true, servername: 'redis.example', ca: { path: certs.ca }, cert: { path: certs.clientCert }, key: { path: certs.clientKey } });
    expect(opts.tls?.ca?.pem.toString()).toContain('BEGIN CERTIFICATE');
    expect(connectionOptions({ tls: true, insecure: true }).tls).toEqual({ verify: false });
    expect(connectionOptions({}).tls).toBeUndefined();
  });

  it('TLS details without TLS, and bad files, are refused before connecting', () => {
    expect(rejects({ caFile: certs.ca }).message).toContain('TLS files, insecure or a server name were given but TLS is off');
    expect(rejects({ tls: true, caFile: `${certs.dir}/missing.pem` })).toMatchObject({ code: 'EBADFILE', message: `cannot read the CA certificate file ${certs.dir}/missing.pem: no such file` });
    expect(rejects({ tls: true, caFile: certs.dir }).message).toContain('it is a directory');
    expect(rejects({ tls: true, keyFile: certs.clientKey }).code).toBe('EBADURL');
    expect(rejects({ tls: true, certFile: certs.ca, keyFile: certs.clientKey }).message).toContain('key values mismatch');
    expect(rejects({ tls: true, certFile: certs.clientCert, keyFile: certs.clientCert }).message).toContain('is not PEM (no "BEGIN PRIVATE KEY" block)');
  });

  it('tls.connect options: SNI only for names, the server name checked explicitly when it is an IP', () => {
    const verify = { verify: true } as const;
    expect(tlsConnectOptions(verify, 'redis.example')).toEqual({ rejectUnauthorized: true, servername: 'redis.example' });
    expect(tlsConnectOptions(verify, '127.0.0.1')).toEqual({ rejectUnauthorized: true });
    expect(tlsConnectOptions({ verify: true, servername: 'name' }, '127.0.0.1')).toEqual({ rejectUnauthorized: true, servername: 'name' });
    expect(tlsConnectOptions({ verify: true, servername: '10.0.0.1' }, '127.0.0.1').checkServerIdentity).toBeTypeOf('function');
    expect(tlsConnectOptions({ verify: false }, 'h').rejectUnauthorized).toBe(false);
  });

  it('Node TLS failures become ETLS with the reason and its code', () => {
    const error = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(explainError(error('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 1000)).toEqual({
      code: 'ETLS',
      reason: 'certificate verify failed: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    });
    expect(explainError(error('ERR_SSL_WRONG_VERSION_NUMBER', 'error:0A00010B:SSL routines::wrong version number'), 1000).reason).toBe(
      'TLS handshake failed: the server does not speak TLS on this port (try without --tls)',
    );
    expect(explainError(error('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'error:0A000410:SSL routines::sslv3 alert handshake failure'), 1000).reason).toBe(
      'TLS handshake failed: sslv3 alert handshake failure (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)',
    );
  });
});

describe('Sentinel settings', () => {
  it('sentinels (default port 26379) and the master name; host and port name the first sentinel', () => {
    const opts = connectionOptions({ sentinels: ['10.0.0.1', '[::1]:26380', '10.0.0.1:26379'], masterName: 'mymaster', password: 'pw', sentinelPassword: 'spw' });
    expect(opts).toMatchObject({
      mode: 'sentinel',
      host: '10.0.0.1',
      port: 26379,
      password: 'pw',
      sentinel: { masterName: 'mymaster', sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '::1', port: 26380 }], password: 'spw' },
    });
    expect(describeTarget(opts)).toBe('mymaster (sentinels 10.0.0.1:26379, [::1]:26380)');
    expect(Object.isFrozen(opts)).toBe(true);
  });

  it('refuses what does not go with sentinels', () => {
    expect(rejects({ sentinels: ['s'] }).message).toBe('invalid connection settings for sentinel s: sentinels need the name of the master they monitor');
    expect(rejects({ masterName: 'm' }).message).toContain('a master name needs at least one sentinel');
    expect(rejects({ sentinels: ['s'], masterName: 'm', host: 'h' }).message).toContain('give no URL, host or port');
    expect(rejects({ sentinels: ['s'], masterName: 'm', cluster: true }).message).toContain('Sentinel and Cluster cannot be combined');
    expect(rejects({ sentinels: ['s:x'], masterName: 'm' }).message).toContain('address "s:x" is not host[:port]');
    expect(rejects({ sentinelPassword: 'p' }).message).toContain('sentinel credentials were given without sentinels');
  });
});

describe('Cluster settings', () => {
  it('the URL or host/port is the first seed, then each --seed (default port 6379)', () => {
    const opts = connectionOptions({ url: 'redis://:pw@10.0.0.1:7000', cluster: true, seeds: ['10.0.0.2:7001', '10.0.0.3', '10.0.0.1:7000'] });
    expect(opts).toMatchObject({ mode: 'cluster', host: '10.0.0.1', port: 7000, password: 'pw' });
    expect(opts.mode === 'cluster' && opts.cluster.seeds).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '10.0.0.3', port: 6379 },
    ]);
  });

  it('with only seeds, the default host is not a seed', () => {
    const opts = connectionOptions({ cluster: true, seeds: ['10.0.0.2:7001'] });
    expect(opts).toMatchObject({ host: '10.0.0.2', port: 7001 });
    expect(connectionOptions({ cluster: true })).toMatchObject({ mode: 'cluster', host: '127.0.0.1', port: 6379 });
    expect(rejects({ seeds: ['h'] }).message).toContain('seed nodes are only for a cluster');
  });

  it('atAddress: the same credentials and TLS for one node, or the sentinel credentials', () => {
    const opts = connectionOptions({ cluster: true, username: 'u', password: 'pw', tls: true, insecure: true, connectTimeoutMs: 1234 });
    expect(atAddress(opts, { host: 'n2', port: 7002 })).toEqual({
      mode: 'standalone',
      host: 'n2',
      port: 7002,
      username: 'u',
      password: 'pw',
      db: 0,
      connectTimeoutMs: 1234,
      clientName: 'redis-print',
      tls: { verify: false },
    });
    expect(atAddress(opts, { host: 's', port: 1 }, { password: 'spw' })).toMatchObject({ password: 'spw' });
    expect(atAddress(opts, { host: 's', port: 1 }, {}).password).toBeUndefined();
  });
});
