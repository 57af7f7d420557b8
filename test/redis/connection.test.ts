import { describe, expect, it } from 'vitest';
import { ConnectionError, connectionOptions, describeTarget, redactUrl, type ConnectionInput } from '../../src/redis/index.js';

function rejects(input: ConnectionInput): ConnectionError {
  try {
    connectionOptions(input);
  } catch (error) {
    if (error instanceof ConnectionError) return error;
    throw error;
  }
  throw new Error('expected a ConnectionError');
}

describe('connectionOptions', () => {
  it('defaults to 127.0.0.1:6379, db 0, 5 s, client name redis-print, frozen', () => {
    const opts = connectionOptions();
    expect(opts).toEqual({
      mode: 'standalone',
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      connectTimeoutMs: 5000,
      clientName: 'redis-print',
    });
    expect(Object.isFrozen(opts)).toBe(true);
  });

  it('takes host, port and timeout as strings from a command line', () => {
    expect(connectionOptions({ host: 'cache', port: '6380', connectTimeoutMs: '250' })).toMatchObject({
      host: 'cache',
      port: 6380,
      connectTimeoutMs: 250,
    });
  });

  it('reads user, password, host, port and db from a URL', () => {
    const url = 'redis://alice:s%40cr%3At@redis.internal:6390/3';
    expect(connectionOptions({ url })).toEqual({
      mode: 'standalone',
      host: 'redis.internal',
      port: 6390,
      url,
      username: 'alice',
      password: 's@cr:t',
      db: 3,
      connectTimeoutMs: 5000,
      clientName: 'redis-print',
    });
  });

  it('lets the URL win over host and port', () => {
    expect(connectionOptions({ url: 'redis://a:1', host: 'b', port: 2 })).toMatchObject({ host: 'a', port: 1 });
  });

  it('fills in what the URL leaves out from the other inputs, then defaults', () => {
    expect(connectionOptions({ url: 'redis://a', port: 7000, password: 'pw' })).toMatchObject({ host: 'a', port: 7000, password: 'pw' });
    expect(connectionOptions({ url: 'redis://:fromurl@a', password: 'flag' }).password).toBe('fromurl');
  });

  it('reads the password-only forms of user-info', () => {
    expect(connectionOptions({ url: 'redis://:pw@h' })).toMatchObject({ password: 'pw' });
    expect(connectionOptions({ url: 'redis://:pw@h' }).username).toBeUndefined();
    // redis-cli reads user-info without a colon as a password
    expect(connectionOptions({ url: 'redis://pw@h' })).toMatchObject({ password: 'pw' });
    expect(connectionOptions({ url: 'redis://pw@h' }).username).toBeUndefined();
    expect(connectionOptions({ url: 'redis://user:@h' })).toMatchObject({ username: 'user', password: '' });
  });

  it('strips the brackets of an IPv6 host and puts them back for messages', () => {
    const opts = connectionOptions({ url: 'redis://[::1]:6390' });
    expect(opts.host).toBe('::1');
    expect(describeTarget(opts)).toBe('[::1]:6390');
  });

  it('rejects a bad URL with EBADURL, without showing the password', () => {
    const error = rejects({ url: 'redis://user:hunter2@host:notaport' });
    expect(error.code).toBe('EBADURL');
    expect(error.message).toBe('invalid Redis URL redis://user:***@host:notaport: expected redis[s]://[[user]:password@]host[:port][/db]');
    expect(error.message).not.toContain('hunter2');
    expect(rejects({ url: 'localhost:6379' }).message).toBe('invalid Redis URL localhost:6379: unknown scheme localhost:// (expected redis:// or rediss://)');
    expect(rejects({ url: 'http://h' }).code).toBe('EBADURL');
    expect(rejects({ url: 'redis://h/x' }).message).toBe('invalid Redis URL redis://h/x: database "x" is not a number');
    expect(rejects({ url: 'redis://h:0' }).code).toBe('EBADURL');
  });

  it('takes rediss:// as TLS, and rejects unix sockets as not supported yet', () => {
    expect(connectionOptions({ url: 'rediss://:pw@h:6380' })).toMatchObject({ host: 'h', port: 6380, password: 'pw', tls: { verify: true } });
    expect(rejects({ url: 'unix:///tmp/redis.sock' })).toMatchObject({
      code: 'EUNSUPPORTED',
      message: 'cannot use unix:///tmp/redis.sock: unix sockets are not supported yet',
    });
  });

  it('rejects bad ports and timeouts', () => {
    expect(rejects({ port: 'http' }).message).toBe('invalid connection settings for 127.0.0.1:http: port "http" is not a whole number');
    expect(rejects({ port: 70000 }).message).toContain('out of range');
    expect(rejects({ port: 1.5 }).code).toBe('EBADURL');
    expect(rejects({ connectTimeoutMs: 0 }).code).toBe('EBADURL');
    expect(rejects({ host: '' }).code).toBe('EBADURL');
  });
});

describe('redactUrl', () => {
  it('hides passwords and keeps everything else', () => {
    expect(redactUrl('redis://alice:secret@h:1/2')).toBe('redis://alice:***@h:1/2');
    expect(redactUrl('redis://:secret@h')).toBe('redis://:***@h');
    expect(redactUrl('redis://secret@h')).toBe('redis://***@h');
    expect(redactUrl('redis://h:1')).toBe('redis://h:1');
    expect(redactUrl('redis://u:p@ss@h')).toBe('redis://u:***@h');
  });
  it('hides a password holding / ? # (such a URL does not parse, and is then printed in the error)', () => {
    for (const pw of ['pa/ss', 'pa?ss', 'pa#ss', 'a/b?c#d@e']) {
      expect(redactUrl(`redis://:${pw}@h:1`)).toBe('redis://:***@h:1');
      let message = '';
      try {
        connectionOptions({ url: `redis://:${pw}@h:1` });
        message = 'parsed';
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toContain(pw);
    }
  });
});
