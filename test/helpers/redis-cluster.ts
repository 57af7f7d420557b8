/**
 * A throwaway three-master Redis Cluster (no replicas) on free ports, for one test file.
 *
 * ```ts
 * let cluster: RedisCluster;
 * beforeAll(async () => { cluster = await startCluster(); });
 * afterAll(async () => { await cluster?.stop(); });
 * ```
 *
 * Each node is a `startRedis` server with `--cluster-enabled yes` and its nodes.conf in its own
 * temporary directory; `redis-cli --cluster create` assigns the slots, and the helper waits until
 * every node reports `cluster_state:ok` and agrees on who owns which slot.
 */
import { execFile } from 'node:child_process';
import { startRedis, type RedisServer } from './redis-server.js';

export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  /** The node serving `slot` right now (asks the first node). */
  ownerOf(slot: number): Promise<RedisServer>;
  /** `CLUSTER KEYSLOT name`. */
  keySlot(name: string): Promise<number>;
  /** `SPUBLISH channel payload` on the node owning the channel's slot; the number of receivers. */
  spublish(channel: string, payload: string): Promise<number>;
  /** Moves an empty slot to `to` the way redis-cli --cluster reshard does (IMPORTING/MIGRATING, then NODE on all). */
  moveSlot(slot: number, to: RedisServer): Promise<void>;
  /** Stops every node. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

export async function startCluster(size = 3): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < size; i++) {
      // nodes.conf goes into the server's own --dir (a fresh temporary directory).
      nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000']));
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-yes']);
    await waitUntilReady(nodes);
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }

  const ids = new Map<RedisServer, string>();
  for (const node of nodes) ids.set(node, await node.cli('CLUSTER', 'MYID'));
  const byPort = (port: number): RedisServer => {
    const node = nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    return node;
  };
  const ownerOf = async (slot: number): Promise<RedisServer> => {
    const reply = await nodes[0]!.cli('--json', 'CLUSTER', 'SLOTS');
    const ranges = JSON.parse(reply) as Array<[number, number, [string, number, string]]>;
    const range = ranges.find(([start, end]) => slot >= start && slot <= end);
    if (!range) throw new Error(`no owner for slot ${slot}`);
    return byPort(range[2][1]);
  };
  const keySlot = async (name: string): Promise<number> => Number(await nodes[0]!.cli('CLUSTER', 'KEYSLOT', name));
  let stopping: Promise<void> | undefined;
  return {
    nodes,
    ownerOf,
    keySlot,
    async spublish(channel, payload) {
      const owner = await ownerOf(await keySlot(channel));
      return Number(await owner.cli('SPUBLISH', channel, payload));
    },
    async moveSlot(slot, to) {
      const from = await ownerOf(slot);
      if (from === to) return;
      await to.cli('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', ids.get(from)!);
      await from.cli('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', ids.get(to)!);
      for (const node of [to, from, ...nodes.filter((n) => n !== to && n !== from)]) {
        await node.cli('CLUSTER', 'SETSLOT', String(slot), 'NODE', ids.get(to)!);
      }
    },
    stop() {
      stopping ??= Promise.all(nodes.map((n) => n.stop())).then(() => {});
      return stopping;
    },
  };
}

async function waitUntilReady(nodes: readonly RedisServer[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(nodes.map((n) => n.cli('CLUSTER', 'INFO')));
    const slots = await Promise.all(nodes.map((n) => n.cli('--json', 'CLUSTER', 'SLOTS')));
    const agreed = slots.every((s) => normalise(s) === normalise(slots[0]!));
    if (infos.every((info) => /cluster_state:ok/.test(info)) && agreed) return;
    if (Date.now() > deadline) throw new Error(`cluster not ready within ${READY_TIMEOUT_MS} ms:\n${infos.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Slot ranges and master ports only (replica lists and node metadata may differ while gossiping). */
function normalise(json: string): string {
  const ranges = JSON.parse(json) as Array<[number, number, [string, number]]>;
  return JSON.stringify(ranges.map(([start, end, [, port]]) => [start, end, port]).sort((a, b) => (a[0] as number) - (b[0] as number)));
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve(stdout);
    });
  });
}
