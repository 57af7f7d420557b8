import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  connectionOptions,
  ConnectionError,
  openSubscriber,
  type ConnectionInput,
  type SubscribeOptions,
} from '../../src/redis/index.js';
import { freePort, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { nextMessage } from './messages.js';

// One server with a password and two ACL users: alice may do anything, bob only `allowed:*` channels.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis([
    '--requirepass', 'secret',
    '--user', 'alice', 'on', '>alicepw', '~*', '&*', '+@all',
    '--user', 'bob', 'on', '>bobpw', 'resetchannels', '&allowed:*', '+@all',
  ]);
});
afterAll(async () => {
  await redis?.stop();
});

// ioredis prints "[ioredis] Unhandled error event" (console.error) and some AUTH warnings
// (console.warn) on its own; none of that may reach the user's terminal.
let consoleSpies: MockInstance[] = [];
beforeEach(() => {
  consoleSpies = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
});
afterEach(() => {
  for (const spy of consoleSpies) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

const request: SubscribeOptions = { channels: ['c'], patterns: [], exact: false };

async function failure(input: ConnectionInput, req: SubscribeOptions = request): Promise<{ error: ConnectionError; ms: number }> {
  const started = Date.now();
  const error = await openSubscriber(connectionOptions(input), req).then(
    async (sub) => {
      await sub.close();
      throw new Error('expected openSubscriber to fail');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ConnectionError)) throw error;
  return { error, ms: Date.now() - started };
}

describe('unreachable servers', () => {
  it('fails fast with ECONNREFUSED on a closed port', async () => {
    const port = await freePort();
    const { error, ms } = await failure({ host: '127.0.0.1', port });
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toBe(`cannot connect to 127.0.0.1:${port}: connection refused`);
    expect(error.target).toBe(`127.0.0.1:${port}`);
    expect(ms).toBeLessThan(1_000);
  });

  it('fails with ENOTFOUND when the host does not resolve', async () => {
    const { error } = await failure({ url: 'redis://no-such-host.invalid:6390', connectTimeoutMs: 3_000 });
    expect(error.code).toBe('ENOTFOUND');
    expect(error.message).toBe('cannot connect to no-such-host.invalid:6390: host not found');
  });

  it('times out on a server that accepts but never answers, and drops the socket', async () => {
    const sockets: net.Socket[] = [];
    const closed: Promise<void>[] = [];
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      socket.on('error', () => {});
      socket.resume(); // read (and ignore) the handshake, so the client's FIN is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const { error, ms } = await failure({ host: '127.0.0.1', port, connectTimeoutMs: 300 });
      expect(error.code).toBe('ETIMEDOUT');
      expect(error.message).toBe(`cannot connect to 127.0.0.1:${port}: timed out after 300 ms`);
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(1_500);
      expect(sockets).toHaveLength(1);
      await Promise.all(closed);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('servers that refuse the session', () => {
  it('reports an error a server sends before closing (maxclients)', async () => {
    const full = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
      socket.end('-ERR max number of clients reached\r\n');
    });
    await new Promise<void>((resolve) => full.listen(0, '127.0.0.1', resolve));
    const { port } = full.address() as net.AddressInfo;
    try {
      const { error } = await failure({ host: '127.0.0.1', port });
      expect(error.code).toBe('EREDIS');
      expect(error.message).toBe(`cannot connect to 127.0.0.1:${port}: ERR max number of clients reached`);
    } finally {
      await new Promise((resolve) => full.close(resolve));
    }
  });

  it('reports something that is not Redis (an HTTP server) as EPROTO', async () => {
    const http = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as net.AddressInfo;
    try {
      const { error } = await failure({ host: '127.0.0.1', port });
      expect(error.code).toBe('EPROTO');
      expect(error.message).toBe(`cannot connect to 127.0.0.1:${port}: not a Redis server (it answered "HTTP/1.1 400 Bad Request")`);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('reports a server that closes without a word as ECONNLOST', async () => {
    const rude = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.destroy();
    });
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const { port } = rude.address() as net.AddressInfo;
    try {
      const { error } = await failure({ host: '127.0.0.1', port });
      expect(error.code).toBe('ECONNLOST');
      expect(error.message).toMatch(new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port}: `));
    } finally {
      await new Promise((resolve) => rude.close(resolve));
    }
  });
});

describe('authentication', () => {
  const target = (): string => `127.0.0.1:${redis.port}`;

  it('fails with WRONGPASS for a wrong password', async () => {
    const { error, ms } = await failure({ port: redis.port, password: 'nope' });
    expect(error.code).toBe('WRONGPASS');
    expect(error.message).toMatch(new RegExp(`^cannot connect to ${target()}: authentication failed \\(WRONGPASS `));
    expect(error.message).not.toContain('nope');
    expect(ms).toBeLessThan(1_000);
  });

  it('fails with NOAUTH when a password is required and none given', async () => {
    const { error } = await failure({ port: redis.port });
    expect(error.code).toBe('NOAUTH');
    expect(error.message).toBe(`cannot connect to ${target()}: the server requires a password (NOAUTH Authentication required.)`);
  });

  it('fails with WRONGPASS for a wrong ACL user password from the URL', async () => {
    const { error } = await failure({ url: `redis://alice:wrong@127.0.0.1:${redis.port}` });
    expect(error.code).toBe('WRONGPASS');
  });

  it('subscribes with the right password, and with an ACL user from the URL', async () => {
    for (const input of [
      { port: redis.port, password: 'secret' },
      { url: `redis://alice:alicepw@127.0.0.1:${redis.port}` },
      { url: `redis://:secret@127.0.0.1:${redis.port}` },
    ]) {
      const sub = await openSubscriber(connectionOptions(input), request);
      try {
        await redis.publish('c', 'hello');
        expect((await nextMessage(sub)).payload.toString()).toBe('hello');
      } finally {
        await sub.close();
      }
    }
  });
});

describe('ACL channel permissions', () => {
  const bob = (): ConnectionInput => ({ url: `redis://bob:bobpw@127.0.0.1:${redis.port}` });

  it('fails with NOPERM for a pattern the user may not subscribe to', async () => {
    const { error } = await failure(bob(), { channels: [], patterns: ['secret:*'], exact: false });
    expect(error.code).toBe('NOPERM');
    expect(error.message).toBe(
      `cannot subscribe on 127.0.0.1:${redis.port}: permission denied: user "bob" may not use the pattern "secret:*"; ` +
        'allow it with ACL SETUSER bob &secret:* (a PSUBSCRIBE pattern must equal one of the user\'s channel rules, character for character)',
    );
  });

  it('allows the pattern the ACL names literally', async () => {
    const sub = await openSubscriber(connectionOptions(bob()), { channels: [], patterns: ['allowed:*'], exact: false });
    try {
      await redis.publish('allowed:1', 'ok');
      expect((await nextMessage(sub)).pattern).toBe('allowed:*');
    } finally {
      await sub.close();
    }
  });

  // ACLs check a PSUBSCRIBE argument literally against `&patterns`, so the escaped-pattern way of
  // watching an exact channel is refused where SUBSCRIBE is allowed; exact mode is the way out.
  it('refuses an exact channel through PSUBSCRIBE but allows it with exact', async () => {
    const { error } = await failure(bob(), { channels: ['allowed:1'], patterns: [], exact: false });
    expect(error.code).toBe('NOPERM');
    expect(error.message).toContain('exact');
    const sub = await openSubscriber(connectionOptions(bob()), { channels: ['allowed:1'], patterns: [], exact: true });
    try {
      await redis.publish('allowed:1', 'ok');
      expect((await nextMessage(sub)).channel).toBe('allowed:1');
    } finally {
      await sub.close();
    }
  });
});
