import { describe, expect, it } from 'vitest';
import type { ChainSpec } from '../../daemon/placement/chain.js';
import { DEFAULT_CHAIN } from '../../daemon/placement/chain.js';
import { GiB, MiB, entry, host, makeEngine, request } from './placement-fixtures.js';

function only(filter: string, params: Record<string, string> = {}): ChainSpec {
  return { ...DEFAULT_CHAIN, filters: [{ name: filter, params }], scorer: { name: 'least-loaded', params: {} } };
}

function reasonOf(d: { candidates: readonly { host: string; reason: string }[] }, h: string): string {
  return d.candidates.find((c) => c.host === h)?.reason ?? '(missing)';
}

describe('mem-fit', () => {
  it('passes when free memory covers the request, refuses with the numbers otherwise', () => {
    const e = makeEngine(only('mem-fit'));
    const hosts = [entry(host('h1', { memFreeBytes: 200 * MiB })), entry(host('h2', { memFreeBytes: 1 * GiB, load: 3 }))];
    const d = e.decide(request({ memBytes: 512 * MiB }), hosts, { reserve: false });
    expect(d.chosen).toBe('h2');
    expect(reasonOf(d, 'h1')).toBe('mem-fit: free memory 200 MiB < 512 MiB requested');
  });

  it('passes everything when the job gave no --mem', () => {
    const e = makeEngine(only('mem-fit'));
    const d = e.decide(request(), [entry(host('h1', { memFreeBytes: 0 }))], { reserve: false });
    expect(d.chosen).toBe('h1');
  });

  it('counts memory reserved by pending placements', () => {
    const e = makeEngine(only('mem-fit'));
    const hosts = [entry(host('h1', { memFreeBytes: 1 * GiB })), entry(host('h2', { memFreeBytes: 1 * GiB, load: 5 }))];
    const req = request({ memBytes: 600 * MiB });
    expect(e.decide(req, hosts).chosen).toBe('h1');
    const d = e.decide(req, hosts);
    expect(d.chosen).toBe('h2');
    expect(reasonOf(d, 'h1')).toContain('reserved by pending placements');
  });

  it('honours headroom', () => {
    const e = makeEngine(only('mem-fit', { headroom: '512M' }));
    const d = e.decide(request({ memBytes: 600 * MiB }), [entry(host('h1', { memFreeBytes: 1 * GiB }))], { reserve: false });
    expect(d.chosen).toBeUndefined();
    expect(reasonOf(d, 'h1')).toContain('+ 512 MiB headroom');
  });
});

describe('not-draining', () => {
  it('refuses draining hosts', () => {
    const e = makeEngine(only('not-draining'));
    const d = e.decide(request(), [entry(host('h1', { draining: true })), entry(host('h2', { load: 9 }))], { reserve: false });
    expect(d.chosen).toBe('h2');
    expect(reasonOf(d, 'h1')).toMatch(/^not-draining: host is draining/);
  });
});

describe('domain', () => {
  const hosts = [entry(host('a1', { domain: 'd1' })), entry(host('b1', { domain: 'd2', load: 2 })), entry(host('c1', { domain: 'd3', load: 4 }))];

  it('honours --domain', () => {
    const e = makeEngine(only('domain'));
    const d = e.decide(request({ domain: 'd2' }), hosts, { reserve: false });
    expect(d.chosen).toBe('b1');
    expect(reasonOf(d, 'a1')).toBe('domain: domain d1, the job asked for --domain d2');
  });

  it('honours allow=', () => {
    const e = makeEngine(only('domain', { allow: 'd2,d3' }));
    const d = e.decide(request(), hosts, { reserve: false });
    expect(d.chosen).toBe('b1');
    expect(reasonOf(d, 'a1')).toBe('domain: domain d1 not in allow=d2,d3');
  });

  it('with no constraint, passes every host', () => {
    const e = makeEngine(only('domain'));
    expect(e.decide(request(), hosts, { reserve: false }).candidates.every((c) => c.eligible)).toBe(true);
  });
});

describe('the chain of filters', () => {
  it('reports the first filter that refused', () => {
    const e = makeEngine();
    const d = e.decide(request({ memBytes: 1 * GiB, domain: 'd1' }), [entry(host('h1', { draining: true, memFreeBytes: 0, domain: 'd9' }))], { reserve: false });
    expect(d.chosen).toBeUndefined();
    expect(reasonOf(d, 'h1')).toMatch(/^mem-fit: /);
  });
});
