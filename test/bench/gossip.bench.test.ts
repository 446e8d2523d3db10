/**
 * Issue 5 measurement: Name Dropper's cost — bytes one host sends per round (one push holding every
 * record it knows, encoded exactly as on the wire) as the grid grows, and the time to build it.
 */
import { describe, it } from 'vitest';
import { zincV1 } from '../../proto/loader.js';
import type { GossipMessage } from '../../proto/generated/zinc/v1/GossipMessage.js';
import { toWire, type HostState } from '../../daemon/discovery/host-state.js';
import { printTable, saveResults } from './report.js';

function record(i: number): HostState {
  return {
    host: `d${(i % 50) + 1}-h${i + 1}`,
    domain: `d${(i % 50) + 1}`,
    address: `198.18.${(i % 50) + 1}.${(i % 250) + 1}:7070`,
    cores: 16,
    speed: 1,
    load: 3.25,
    memFreeBytes: 12_345_678_901,
    memTotalBytes: 68_719_476_736,
    jobs: 12,
    draining: false,
    incarnation: 1_795_000_000_000 + i,
    version: 123_456,
  };
}

describe('gossip cost', () => {
  it('measures', () => {
    const serialize = zincV1().Gossip.service.Push.requestSerialize as (m: GossipMessage) => Buffer;
    const rows: Array<Array<string | number>> = [];
    const data: Array<{ n: number; bytes: number; perRecord: number; buildMs: number }> = [];
    for (const n of [16, 64, 256, 1024, 4096, 10_000]) {
      const t0 = performance.now();
      const msg: GossipMessage = { fromHost: 'd1-h1', entries: Array.from({ length: n }, (_, i) => ({ record: toWire(record(i)), ageMs: i % 5000 })) };
      const bytes = serialize(msg).length;
      const buildMs = performance.now() - t0;
      data.push({ n, bytes, perRecord: bytes / n, buildMs });
      // A host sends one push per round and, on average, receives one.
      rows.push([n, bytes / 1024, bytes / n, ((bytes * 8) / 1e6).toFixed(3), buildMs]);
    }
    printTable('Name Dropper: bytes one host sends per round (one push with every known record)', ['hosts', 'KiB/round', 'bytes/record', 'Mbit/round', 'build+encode ms'], rows);
    saveResults('gossip', data);
  });
});
