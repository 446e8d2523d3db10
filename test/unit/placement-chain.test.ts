import { describe, expect, it } from 'vitest';
import { ZincError } from '../../daemon/common/zinc-error.js';
import { builtinRegistry } from '../../daemon/placement/builtin.js';
import {
  DEFAULT_CHAIN,
  applyChange,
  chainFromJSON,
  chainToJSON,
  chainToWire,
  compileChain,
  describeChain,
  type ChainSpec,
} from '../../daemon/placement/chain.js';
import { defineFilter, PASS } from '../../daemon/placement/plugin.js';
import { PolicyRegistry } from '../../daemon/placement/registry.js';
import { z } from 'zod';

const registry = builtinRegistry();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ZincError) return `${err.code}/${err.kind}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('the registry', () => {
  it('lists filters, scorers and the balancer with their defaults', () => {
    const list = registry.list();
    expect(list.map((p) => `${p.kind}:${p.name}`)).toEqual([
      'filter:domain',
      'filter:mem-fit',
      'filter:not-draining',
      'scorer:least-loaded',
      'scorer:random',
      'scorer:round-robin',
      'scorer:zinctask',
      'balancer:balancer',
    ]);
    expect(list.find((p) => p.name === 'zinctask')?.defaults).toMatchObject({ memWeight: '0.25', maxAge: 'auto' });
    for (const p of list) expect(p.description.length).toBeGreaterThan(10);
  });

  it('refuses a second policy with the same name', () => {
    expect(codeOf(() => builtinRegistry().register(registry.filter('mem-fit')))).toMatch(/^POLICY_DUPLICATE\/internal/);
  });

  it('adding a policy is one definition and one registration', () => {
    const r = builtinRegistry().register(
      defineFilter({
        name: 'even-cores',
        kind: 'filter',
        description: 'only hosts with an even number of cores',
        defaults: {},
        params: z.object({}).strict(),
        filter: (h) => (h.record.cores % 2 === 0 ? PASS : { ok: false, reason: `${h.record.cores} cores` }),
      }),
    );
    const next = applyChange(DEFAULT_CHAIN, { filters: ['even-cores'] }, r);
    expect(describeChain(next)).toBe('even-cores > zinctask');
  });
});

describe('changes', () => {
  it('switches the scorer, bumping the version and dropping the old scorer\'s params', () => {
    const a = applyChange(DEFAULT_CHAIN, { params: { memWeight: '0.5' } }, registry);
    expect(a.version).toBe(2);
    expect(a.scorer).toEqual({ name: 'zinctask', params: { memWeight: '0.5' } });
    const b = applyChange(a, { scorer: 'random' }, registry);
    expect(b.version).toBe(3);
    expect(b.scorer).toEqual({ name: 'random', params: {} });
    expect(b.filters).toEqual(DEFAULT_CHAIN.filters);
  });

  it('replaces the filters, keeping the params of those that stay', () => {
    const a = applyChange(DEFAULT_CHAIN, { params: { 'mem-fit.headroom': '1G', allow: 'd1' } }, registry);
    const b = applyChange(a, { filters: ['domain', 'mem-fit'] }, registry);
    expect(b.filters).toEqual([
      { name: 'domain', params: { allow: 'd1' } },
      { name: 'mem-fit', params: { headroom: '1G' } },
    ]);
    expect(applyChange(b, { filters: [] }, registry).filters).toEqual([]);
  });

  it('resets a param with an empty value, and drops overrides equal to the default', () => {
    const a = applyChange(DEFAULT_CHAIN, { params: { memWeight: '0.5', memCap: '4' } }, registry);
    expect(a.scorer.params).toEqual({ memWeight: '0.5' });
    expect(applyChange(a, { params: { memWeight: '' } }, registry).scorer.params).toEqual({});
  });

  it('turns the balancer on and tunes it', () => {
    const a = applyChange(DEFAULT_CHAIN, { balancer: 'on', balancerParams: { threshold: '1.5', margin: '0.25' } }, registry);
    expect(a.balancer).toEqual({ enabled: true, params: { threshold: '1.5', margin: '0.25' } });
    const b = applyChange(a, { balancer: 'off', balancerParams: { margin: '' } }, registry);
    expect(b.balancer).toEqual({ enabled: false, params: { threshold: '1.5' } });
  });

  it('names the unknown key, the bad value, the ambiguous key', () => {
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { params: { memWieght: '1' } }, registry))).toBe(
      'POLICY_PARAM_UNKNOWN/invalid: the chain (mem-fit,not-draining,domain > zinctask) has no parameter "memWieght" (its parameters: zinctask.memWeight, zinctask.memCap, zinctask.memUnit, zinctask.staleWeight, zinctask.maxAge, zinctask.spread, mem-fit.headroom, domain.allow)',
    );
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { params: { 'zinctask.memWieght': '1' } }, registry))).toBe(
      'POLICY_PARAM_UNKNOWN/invalid: zinctask has no parameter "memWieght" (its parameters: memWeight, memCap, memUnit, staleWeight, maxAge, spread)',
    );
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { params: { memWeight: 'lots' } }, registry))).toBe(
      'POLICY_PARAM_INVALID/invalid: zinctask: memWeight="lots" is not valid: expected a number between 0 and 100',
    );
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { params: { 'mem-fit.headroom': 'big' } }, registry))).toBe(
      'POLICY_PARAM_INVALID/invalid: mem-fit: headroom="big" is not valid: expected a size such as 0, 512M or 2G',
    );
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { params: { 'domain.allow': 'd 1' } }, registry))).toMatch(/^POLICY_PARAM_INVALID.*"d 1" is not a name/);
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { balancerParams: { treshold: '1' } }, registry))).toMatch(/^POLICY_PARAM_UNKNOWN\/invalid: balancer has no parameter "treshold"/);
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { balancerParams: { minInterval: 'soon' } }, registry))).toBe(
      'POLICY_PARAM_INVALID/invalid: balancer: minInterval="soon" is not valid: expected a duration such as 500ms, 3s or 2m',
    );
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { params: { 'random.x': '1' } }, registry))).toMatch(/^POLICY_NOT_IN_CHAIN\/invalid: "random" is not in the chain/);
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { scorer: 'fastest' }, registry))).toBe(
      'POLICY_UNKNOWN/invalid: no policy "fastest" (available: least-loaded, random, round-robin, zinctask)',
    );
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { scorer: 'mem-fit' }, registry))).toBe('POLICY_KIND_MISMATCH/invalid: "mem-fit" is a filter, not a scorer');
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { filters: ['random'] }, registry))).toBe('POLICY_KIND_MISMATCH/invalid: "random" is a scorer, not a filter');
    expect(codeOf(() => applyChange(DEFAULT_CHAIN, { filters: ['domain', 'domain'] }, registry))).toMatch(/^POLICY_CHAIN_INVALID.*appears twice/);
  });

  it('reports an ambiguous key', () => {
    const r = builtinRegistry().register(
      defineFilter({ name: 'also-allow', kind: 'filter', description: 'x', defaults: { allow: '' }, params: z.object({ allow: z.string() }).strict(), filter: () => PASS }),
    );
    const chain = applyChange(DEFAULT_CHAIN, { filters: ['domain', 'also-allow'] }, r);
    expect(codeOf(() => applyChange(chain, { params: { allow: 'd1' } }, r))).toBe(
      'POLICY_PARAM_AMBIGUOUS/invalid: parameter "allow" belongs to several policies in the chain (domain, also-allow)',
    );
  });
});

describe('persistence (policy.json)', () => {
  it('round-trips through JSON', () => {
    const chain = applyChange(DEFAULT_CHAIN, { scorer: 'least-loaded', params: { countPending: 'false', 'mem-fit.headroom': '64M' }, balancer: 'on' }, registry);
    const text = JSON.stringify(chainToJSON(chain));
    const back: ChainSpec = chainFromJSON(JSON.parse(text), registry);
    expect(back).toEqual(chain);
    expect(describeChain(back)).toBe('mem-fit(headroom=64M),not-draining,domain > least-loaded(countPending=false)');
  });

  it('refuses malformed files and unknown policies', () => {
    expect(codeOf(() => chainFromJSON({ format: 2 }, registry))).toMatch(/^POLICY_CHAIN_INVALID\/invalid: invalid policy chain: format/);
    const j = chainToJSON(DEFAULT_CHAIN);
    expect(codeOf(() => chainFromJSON({ ...j, scorer: { name: 'gone', params: {} } }, registry))).toMatch(/^POLICY_UNKNOWN/);
    expect(codeOf(() => chainFromJSON({ ...j, extra: 1 }, registry))).toMatch(/^POLICY_CHAIN_INVALID/);
    expect(codeOf(() => chainFromJSON({ ...j, balancer: { enabled: true, params: { threshold: '-1' } } }, registry))).toMatch(/^POLICY_PARAM_INVALID/);
  });

  it('shows effective params on the wire', () => {
    const w = chainToWire(compileChain(applyChange(DEFAULT_CHAIN, { params: { memWeight: '0.5' } }, registry), registry));
    expect(w.scorer?.params).toEqual({ memWeight: '0.5', memCap: '4', memUnit: '256M', staleWeight: '1', maxAge: 'auto', spread: '0.05' });
    expect(w.filters?.map((f) => f.name)).toEqual(['mem-fit', 'not-draining', 'domain']);
    expect(w.balancerEnabled).toBe(false);
    expect(w.balancerParams).toMatchObject({ threshold: '1', margin: '0.5' });
    expect(w.version).toBe(2);
  });

  it('a registry with no balancer cannot compile a chain', () => {
    const r = new PolicyRegistry().register(registry.scorer('zinctask'));
    expect(codeOf(() => compileChain({ ...DEFAULT_CHAIN, filters: [] }, r))).toMatch(/^POLICY_CHAIN_INVALID.*no balancer/);
  });
});
