import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';
import { runCli, startCli } from '../helpers/cli-process.js';
import { MASTER_NAME, startSentinel, type SentinelSetup } from '../helpers/redis-sentinel.js';

// The built binary through a real sentinel: a master, its replica, one sentinel (quorum 1).
let setup: SentinelSetup;
beforeAll(async () => {
  setup = await startSentinel();
});
afterAll(async () => {
  await setup?.stop();
});

const sentinelArgs = (): string[] => ['--sentinel', `127.0.0.1:${setup.sentinelPort}`, '--master', MASTER_NAME];

describe('Sentinel', () => {
  it('an unknown master name: one line naming the sentinel and the name, exit 3', async () => {
    const r = await runCli(['subscribe', '--sentinel', `127.0.0.1:${setup.sentinelPort}`, '--master', 'nosuch', '--channel', 'x']);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `redis-print: cannot connect to nosuch (sentinel 127.0.0.1:${setup.sentinelPort}): sentinel 127.0.0.1:${setup.sentinelPort} monitors no master named "nosuch"`,
    ]);
  });

  it('no sentinel reachable: each one and why, exit 3', async () => {
    const dead = await freePort();
    const r = await runCli(['subscribe', '--sentinel', `127.0.0.1:${dead}`, '--master', MASTER_NAME, '--channel', 'x']);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toBe(`redis-print: cannot connect to ${MASTER_NAME} (sentinel 127.0.0.1:${dead}): sentinel 127.0.0.1:${dead}: connection refused`);
  });

  it('--sentinel with --host is a usage error', async () => {
    const r = await runCli(['subscribe', ...sentinelArgs(), '--host', 'example.com', '--channel', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--sentinel <host:port>' cannot be used with option '--host <host>'");
  });

  it('watches the master the sentinel names, and follows a failover to the promoted replica', async () => {
    const cli = startCli(['subscribe', ...sentinelArgs(), '--channel', 'failover:c', '--json']);
    try {
      await cli.waitForStderr('subscribed to');
      expect(cli.stderr()).toContain(`connected to ${MASTER_NAME} (sentinel 127.0.0.1:${setup.sentinelPort})`);
      await setup.master.publish('failover:c', 'before');
      expect(JSON.parse((await cli.waitForLines(1))[0]!)).toMatchObject({ value: 'before' });

      expect(await setup.sentinelCli('SENTINEL', 'FAILOVER', MASTER_NAME)).toBe('OK');
      // The sentinel announces +switch-master; the connection to the old master drops and the
      // reconnect asks the sentinel again, which now names the replica.
      await cli.waitForStderr(/reconnected at/, 15_000);
      expect(await setup.masterPort()).toBe(setup.replica.port);
      expect(cli.stderr()).toMatch(new RegExp(`lost at .*\\(sentinel switched ${MASTER_NAME} to 127\\.0\\.0\\.1:${setup.replica.port}\\)`));
      expect(await setup.replica.cli('CLIENT', 'LIST', 'TYPE', 'pubsub')).toContain('name=redis-print');

      await setup.replica.publish('failover:c', 'after');
      const lines = await cli.waitForLines(3);
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records[1]).toMatchObject({ type: 'gap' });
      expect(records[2]).toMatchObject({ channel: 'failover:c', value: 'after' });
    } finally {
      cli.kill('SIGTERM');
      await cli.exited();
    }
  });
});
