/** Which gossip a TLS-verified host believes (daemon/discovery/gossip-guard.ts). */
import { describe, expect, it } from 'vitest';
import { guardGossip, MAX_RECORDS_PER_PUSH, type GuardContext } from '../../daemon/discovery/gossip-guard.js';
import type { HostState } from '../../daemon/discovery/host-state.js';
import type { GossipEntry } from '../../daemon/discovery/nd-record.js';

const rec = (host: string, domain: string, address: string, incarnation = 1): GossipEntry<HostState> => ({
  ageMs: 0,
  record: { host, domain, address, cores: 2, speed: 1, load: 0, memFreeBytes: 1e9, memTotalBytes: 1e9, jobs: 0, draining: false, incarnation, version: 1 },
});

const known = new Map<string, HostState>([['b', rec('b', 'd2', '10.0.2.1:7070').record]]);
const ctx = (over: Partial<GuardContext> = {}): GuardContext => ({
  sender: { host: 'a', domain: 'd1' },
  claimedFrom: 'a',
  verified: true,
  trusts: (d) => d === 'd1' || d === 'd2',
  known: (h) => known.get(h),
  ...over,
});

describe('gossip guard', () => {
  it('takes a sender\'s own record, unknown hosts and unchanged known hosts', () => {
    const r = guardGossip([rec('a', 'd1', '10.0.1.1:7070'), rec('c', 'd1', '10.0.1.3:7070'), rec('b', 'd2', '10.0.2.1:7070', 99)], ctx());
    expect(r.refused).toBeUndefined();
    if (r.refused === undefined) expect(r.accepted.map((e) => e.record.host)).toEqual(['a', 'c', 'b']);
  });

  it('refuses the whole push when the sender lies about itself', () => {
    expect(guardGossip([rec('a', 'd2', '10.0.1.1:7070')], ctx()).refused).toMatch(/says domain d2, certificate proves d1/);
    expect(guardGossip([rec('a', 'd1', '10.0.1.1:7070')], ctx({ claimedFrom: 'b' })).refused).toMatch(/claims to come from b/);
  });

  it('drops second-hand moves of known hosts and records of untrusted domains', () => {
    const r = guardGossip([rec('b', 'd2', '10.6.6.6:7070', 1e15), rec('b2', 'd9', '10.0.9.1:7070')], ctx());
    if (r.refused !== undefined) throw new Error(r.refused);
    expect(r.accepted).toEqual([]);
    expect(r.dropped.map((d) => d.reason)).toEqual([expect.stringMatching(/second-hand record moves b/), expect.stringMatching(/domain d9 is not trusted/)]);
  });

  it('lets a host move itself (first-hand, proven by its certificate)', () => {
    const r = guardGossip([rec('b', 'd2', '10.0.2.9:7070', 2)], ctx({ sender: { host: 'b', domain: 'd2' }, claimedFrom: 'b' }));
    if (r.refused !== undefined) throw new Error(r.refused);
    expect(r.accepted).toHaveLength(1);
  });

  it('caps the records of one push, with or without TLS', () => {
    const many = Array.from({ length: MAX_RECORDS_PER_PUSH + 5 }, (_, i) => rec(`h${i}`, 'd1', '10.0.1.1:7070'));
    const r = guardGossip(many, ctx({ verified: false, sender: undefined }));
    if (r.refused !== undefined) throw new Error(r.refused);
    expect(r.accepted).toHaveLength(MAX_RECORDS_PER_PUSH);
    expect(r.truncated).toBe(5);
  });
});
