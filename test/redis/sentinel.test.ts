import { describe, expect, it } from 'vitest';
import { ConnectionError, connectionOptions, type SentinelOptions } from '../../src/redis/index.js';
import { resolveMaster, switchedMaster, type AskSentinel } from '../../src/redis/sentinel.js';

const opts = connectionOptions({ sentinels: ['s1:26379', 's2'], masterName: 'mymaster' }) as SentinelOptions;
const never = new AbortController().signal;

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
}

describe('resolveMaster', () => {
  it('asks the sentinels in order and takes the first address', async () => {
    const asked: string[] = [];
    const ask: AskSentinel = async (sentinel) => {
      asked.push(`${sentinel.host}:${sentinel.port}`);
      if (sentinel.host === 's1') throw refused();
      return ['10.0.0.5', '6380'];
    };
    expect(await resolveMaster(opts, ask, never)).toEqual({ host: '10.0.0.5', port: 6380 });
    expect(asked).toEqual(['s1:26379', 's2:26379']);
  });

  it('says why each sentinel gave no address', async () => {
    const ask: AskSentinel = async (sentinel) => {
      if (sentinel.host === 's1') throw refused();
      return null; // GET-MASTER-ADDR-BY-NAME of an unknown name
    };
    const error = await resolveMaster(opts, ask, never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({
      code: 'ESENTINEL',
      target: 'mymaster (sentinels s1:26379, s2:26379)',
      message: 'cannot connect to mymaster (sentinels s1:26379, s2:26379): sentinel s1:26379: connection refused; sentinel s2:26379 monitors no master named "mymaster"',
    });
  });

  it('recognises a Redis server that is not a sentinel', async () => {
    const ask: AskSentinel = async () => {
      throw new Error("ERR unknown command 'SENTINEL', with args beginning with: 'GET-MASTER-ADDR-BY-NAME'");
    };
    const error = (await resolveMaster(opts, ask, never).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('sentinel s1:26379: not a sentinel (it does not know the SENTINEL command)');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const ask: AskSentinel = async () => {
      controller.abort(new Error('stop'));
      throw refused();
    };
    await expect(resolveMaster(opts, ask, controller.signal)).rejects.toThrow('stop');
  });
});

describe('switchedMaster', () => {
  it('reads +switch-master for our master only', () => {
    expect(switchedMaster('mymaster 127.0.0.1 6379 127.0.0.1 6380', 'mymaster')).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(switchedMaster('other 127.0.0.1 6379 127.0.0.1 6380', 'mymaster')).toBeUndefined();
    expect(switchedMaster('mymaster 127.0.0.1 6379', 'mymaster')).toBeUndefined();
  });
});
