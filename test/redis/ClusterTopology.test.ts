import { describe, expect, it } from 'vitest';
import { ClusterTopology } from '../../src/redis/ClusterTopology.js';

const asked = { host: '10.0.0.9', port: 7009 };

// A CLUSTER SLOTS reply as ioredis's `call` returns it (strings and numbers).
const reply = [
  [10923, 16383, ['10.0.0.3', 7002, 'id3'], ['10.0.0.6', 7005, 'id6']],
  [0, 5460, ['10.0.0.1', 7000, 'id1', { hostname: 'a' }]],
  [5461, 10922, ['', 7001, 'id2']], // empty host: the node we asked
];

describe('ClusterTopology', () => {
  const topology = ClusterTopology.fromSlots(reply, asked);

  it('finds the master of every slot, including both ends of each range', () => {
    expect(topology.masterOf(0)).toEqual({ host: '10.0.0.1', port: 7000 });
    expect(topology.masterOf(5460)).toEqual({ host: '10.0.0.1', port: 7000 });
    expect(topology.masterOf(5461)).toEqual(asked);
    expect(topology.masterOf(10923)).toEqual({ host: '10.0.0.3', port: 7002 });
    expect(topology.masterOf(16383)).toEqual({ host: '10.0.0.3', port: 7002 });
  });

  it('lists each master once, in slot order', () => {
    expect(topology.masters).toEqual([{ host: '10.0.0.1', port: 7000 }, asked, { host: '10.0.0.3', port: 7002 }]);
  });

  it('leaves out ranges without a reachable endpoint, and slots nobody serves', () => {
    const partial = ClusterTopology.fromSlots([[0, 99, ['?', 7000, 'x']], [100, 199, ['h', 7001, 'y']]], asked);
    expect(partial.masterOf(50)).toBeUndefined();
    expect(partial.masterOf(150)).toEqual({ host: 'h', port: 7001 });
    expect(partial.masterOf(300)).toBeUndefined();
  });

  it('rejects what is not a CLUSTER SLOTS reply', () => {
    expect(() => ClusterTopology.fromSlots('OK', asked)).toThrow(TypeError);
    expect(() => ClusterTopology.fromSlots([[0, 1]], asked)).toThrow(TypeError);
  });
});
