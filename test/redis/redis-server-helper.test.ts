// The test helper itself: a server per call, on its own port, gone after stop().
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startRedis } from '../helpers/redis-server.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startRedis', () => {
  it('starts servers on distinct free ports and stops them by pid', async () => {
    const servers = await Promise.all([startRedis(), startRedis(['--requirepass', 'pw'])]);
    const [plain, locked] = servers;
    if (!plain || !locked) throw new Error('unreachable');
    try {
      expect(plain.port).not.toBe(locked.port);
      expect(plain.port).not.toBe(6379);
      expect(plain.url).toBe(`redis://127.0.0.1:${plain.port}`);
      expect(locked.url).toBe(`redis://:pw@127.0.0.1:${locked.port}`);
      expect(await plain.cli('PING')).toBe('PONG');
      expect(await locked.cli('PING')).toBe('PONG'); // authenticates itself
      expect(await plain.cli('CONFIG', 'GET', 'save')).toBe('save');
      const dir = (await plain.cli('CONFIG', 'GET', 'dir')).split('\n')[1] ?? '';
      expect(existsSync(dir)).toBe(true);
      expect(await plain.publish('nobody', Buffer.from([0, 255]))).toBe(0);
      expect(await locked.command('PING')).toEqual(Buffer.from('PONG'));
      await plain.stop();
      expect(alive(plain.pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
      await plain.stop(); // idempotent
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    expect(alive(locked.pid)).toBe(false);
  });
});
