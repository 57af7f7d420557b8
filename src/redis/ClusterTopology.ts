/**
 * Which master serves which hash slots, read from a `CLUSTER SLOTS` reply:
 * `[[start, end, [host, port, id, …], replica…], …]`.
 *
 * An empty host means "the node you asked" (cluster spec, CLUSTER SLOTS: "an empty string … the
 * same endpoint as the one used for the current request"); `?` means the node has no known
 * endpoint, so that range has no reachable master.
 */
import { describeTarget, type Address } from './connection.js';

interface SlotRange {
  readonly start: number;
  readonly end: number;
  readonly master: Address;
}

export class ClusterTopology {
  private constructor(private readonly ranges: readonly SlotRange[]) {}

  /**
   * @param asked the node the reply came from, for empty hosts.
   * @throws TypeError when the reply does not have the shape of a CLUSTER SLOTS reply.
   */
  static fromSlots(reply: unknown, asked: Address): ClusterTopology {
    if (!Array.isArray(reply)) throw new TypeError('CLUSTER SLOTS: expected an array');
    const ranges: SlotRange[] = [];
    for (const entry of reply) {
      if (!Array.isArray(entry) || entry.length < 3 || !Array.isArray(entry[2])) throw new TypeError('CLUSTER SLOTS: bad slot range');
      const [start, end, node] = entry as [unknown, unknown, unknown[]];
      const host = String(node[0] ?? '');
      const port = Number(String(node[1]));
      if (host === '?' || host === 'NULL' || !Number.isInteger(port) || port <= 0) continue;
      ranges.push({ start: Number(start), end: Number(end), master: host === '' ? asked : { host, port } });
    }
    ranges.sort((a, b) => a.start - b.start);
    return new ClusterTopology(ranges);
  }

  /** The master serving `slot`, or undefined when no reachable node serves it (the cluster is down there). */
  masterOf(slot: number): Address | undefined {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = this.ranges[middle] as SlotRange;
      if (slot < range.start) high = middle - 1;
      else if (slot > range.end) low = middle + 1;
      else return range.master;
    }
    return undefined;
  }

  /** Every master that serves at least one slot, each once, in slot order. */
  get masters(): readonly Address[] {
    const byKey = new Map<string, Address>();
    for (const { master } of this.ranges) if (!byKey.has(describeTarget(master))) byKey.set(describeTarget(master), master);
    return [...byKey.values()];
  }
}
