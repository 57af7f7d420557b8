/**
 * A throwaway Sentinel setup for one test file: a master, a replica of it, and one sentinel that
 * monitors the master as `mymaster` with quorum 1 and short timeouts, all on free ports.
 *
 * The sentinel runs `redis-server <config> --sentinel`; it rewrites its config file, so the file
 * lives in a temporary directory of its own. Everything is stopped by PID in `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, startRedis, type RedisServer } from './redis-server.js';

export const MASTER_NAME = 'mymaster';

export interface SentinelSetup {
  readonly master: RedisServer;
  readonly replica: RedisServer;
  readonly sentinelPort: number;
  /** Runs `redis-cli -p <sentinel> ...args`; stdout, trimmed. */
  sentinelCli(...args: string[]): Promise<string>;
  /** The port the sentinel currently names for `mymaster`. */
  masterPort(): Promise<number>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

export async function startSentinel(): Promise<SentinelSetup> {
  const master = await startRedis();
  const replica = await startRedis(['--replicaof', master.host, String(master.port)]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'redis-print-sentinel-'));
  let child: ChildProcess | undefined;
  const stopAll = async (): Promise<void> => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    await Promise.all([replica.stop(), master.stop()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await until(async () => /master_link_status:up/.test(await replica.cli('INFO', 'replication')), 'the replica to sync');
    const sentinelPort = await freePort();
    const config = path.join(dir, 'sentinel.conf');
    await writeFile(
      config,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} ${master.host} ${master.port} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 4000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    const sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
    child = sentinel;
    const sentinelCli = (...args: string[]): Promise<string> => cli(sentinelPort, args);
    // Ready when it names the master and has found the replica (from the master's INFO).
    await until(async () => {
      const replicas = await sentinelCli('SENTINEL', 'REPLICAS', MASTER_NAME).catch(() => '');
      return replicas.includes(String(replica.port)) && !/s_down|disconnected/.test(replicas);
    }, 'the sentinel to know master and replica');
    return {
      master,
      replica,
      sentinelPort,
      sentinelCli,
      async masterPort() {
        const [, port] = (await sentinelCli('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)).split('\n');
        return Number(port);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function cli(port: number, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`redis-cli ${args.join(' ')} exited ${code}`))));
  });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
