/**
 * The Policy gRPC service on loopback: show, set (local, forwarded, --all fan-out), drain, and the
 * errors a user sees. Two services stand in for two daemons; the daemon's parts are faked.
 */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zincV1 } from '../../proto/loader.js';
import type { PolicyClient } from '../../proto/generated/zinc/v1/Policy.js';
import type { DrainReply } from '../../proto/generated/zinc/v1/DrainReply.js';
import { fromServiceError, isServiceError } from '../../daemon/grpc/status.js';
import { unary } from '../../daemon/peers/pool.js';
import type { ChainSpec } from '../../daemon/placement/chain.js';
import { chainToJSON } from '../../daemon/placement/chain.js';
import type { PlacementEngine } from '../../daemon/placement/engine.js';
import type { ServiceContext } from '../../daemon/services/context.js';
import { PolicyService, type PolicyHost } from '../../daemon/services/policy-service.js';
import { Router } from '../../daemon/services/router.js';
import { renderPolicy } from '../../cli/commands/policy.js';
import { renderDrain } from '../../cli/commands/drain.js';
import { entry, host, makeEngine } from './placement-fixtures.js';
import { OPEN_TRUST, rootAuthorizer } from '../helpers/authz.js';

const silent = pino({ level: 'silent' });

interface Daemon {
  name: string;
  server: grpc.Server;
  address: string;
  engine: PlacementEngine;
  saved: ChainSpec[];
  draining: boolean;
}

const daemons = new Map<string, Daemon>();

async function startDaemon(name: string): Promise<Daemon> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const d: Daemon = { name, server, address: `127.0.0.1:${port}`, engine: makeEngine(undefined, undefined, 7, name), saved: [], draining: false };
  const views = () => [...daemons.values()].map((x) => entry(host(x.name, { address: x.address }), { ageMs: x.name === name ? 0 : 500, isSelf: x.name === name }));
  const discovery = {
    views,
    lookup: (h: string) => views().find((v) => v.record.host === h),
    self: () => host(name, { address: d.address }),
  };
  const ctx = {
    config: { ...OPEN_TRUST, hostId: name, domain: 'd1' },
    auth: rootAuthorizer(name, 'd1'),
    hostId: name,
    domain: 'd1',
    discovery,
    router: new Router(name, 'd1', discovery as unknown as ConstructorParameters<typeof Router>[2], {} as ConstructorParameters<typeof Router>[3]),
    pool: { credentials: () => grpc.credentials.createInsecure(), channelOptions: () => ({}) },
    log: silent,
  } as unknown as ServiceContext;
  const policyHost: PolicyHost = {
    engine: d.engine,
    setChain: async (chain) => {
      d.engine.setChain(chain);
      d.saved.push(chain);
    },
    drain: async (on): Promise<DrainReply> => {
      d.draining = on;
      return { host: name, draining: on, moving: on ? [`${name}.1`] : [], stuck: on ? [`${name}.2: no host can take it`] : [] };
    },
  };
  new PolicyService(ctx, policyHost).addToServer(server);
  daemons.set(name, d);
  return d;
}

let client: PolicyClient;

async function call<K extends 'show' | 'set' | 'drain'>(method: K, req: Parameters<typeof unary<PolicyClient, K>>[2]) {
  try {
    return await unary(client, method, req, 5000);
  } catch (err) {
    throw isServiceError(err) ? fromServiceError(err) : err;
  }
}

beforeAll(async () => {
  await startDaemon('a1');
  await startDaemon('b1');
  await startDaemon('c1');
  const a1 = daemons.get('a1');
  client = new (zincV1().Policy)(a1?.address ?? '', grpc.credentials.createInsecure());
});

afterAll(() => {
  client.close();
  for (const d of daemons.values()) d.server.forceShutdown();
});

describe('Policy service', () => {
  it('shows the chain and what is available', async () => {
    const r = await call('show', {});
    expect(r.host).toBe('a1');
    expect(r.chain?.scorer?.name).toBe('zinctask');
    expect(r.chain?.filters.map((f) => f.name)).toEqual(['mem-fit', 'not-draining', 'domain']);
    expect(r.available.map((p) => p.name)).toContain('round-robin');
    const text = renderPolicy(r);
    expect(text).toMatch(/^Host {6}a1$/m);
    expect(text).toMatch(/^Chain {5}mem-fit,not-draining,domain > zinctask {2}v1 {2}balancer off$/m);
    expect(text).toMatch(/^Scorer {4}zinctask {2}maxAge=auto memCap=4 /m);
    expect(text).toMatch(/^zinctask +scorer +normalised CPU load/m);
  });

  it('changes the local chain, persists it, and the next decision uses it', async () => {
    const r = await call('set', { scorer: 'random', params: {} });
    expect(r.failed).toEqual([]);
    expect(r.hosts.map((h) => `${h.host} ${h.chain?.scorer?.name} v${h.chain?.version}`)).toEqual(['a1 random v2']);
    const a1 = daemons.get('a1');
    expect(a1?.saved.map((c) => chainToJSON(c).scorer.name)).toEqual(['random']);
    expect(a1?.engine.decide({ memBytes: 0, domain: '', entryHost: 'a1' }, [entry(host('x'))], { reserve: false }).policy).toBe('mem-fit,not-draining,domain > random');
  });

  it('marks changed params in show', async () => {
    await call('set', { params: { 'mem-fit.headroom': '1G' } });
    const text = renderPolicy(await call('show', {}));
    expect(text).toMatch(/^Filters {3}mem-fit {2}headroom=1G\*$/m);
  });

  it('forwards to another host', async () => {
    const r = await call('set', { host: 'b1', scorer: 'round-robin', balancer: 'on', balancerParams: { threshold: '1.5' } });
    expect(r.hosts[0]?.host).toBe('b1');
    expect(daemons.get('b1')?.engine.chain.scorer.name).toBe('round-robin');
    expect(daemons.get('b1')?.engine.chain.balancer).toEqual({ enabled: true, params: { threshold: '1.5' } });
    expect(daemons.get('a1')?.engine.chain.scorer.name).toBe('random');
    expect((await call('show', { host: 'b1' })).chain?.balancerParams.threshold).toBe('1.5');
  });

  it('--all changes every live host', async () => {
    const r = await call('set', { all: true, scorer: 'least-loaded' });
    expect(r.failed).toEqual([]);
    expect(r.hosts.map((h) => `${h.host} ${h.chain?.scorer?.name}`)).toEqual(['a1 least-loaded', 'b1 least-loaded', 'c1 least-loaded']);
  });

  it('--all lists the hosts it could not change', async () => {
    const c1 = daemons.get('c1');
    c1?.server.forceShutdown();
    const r = await call('set', { all: true, scorer: 'zinctask' });
    expect(r.hosts.map((h) => h.host)).toEqual(['a1', 'b1']);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatch(/^c1: host c1 \(127\.0\.0\.1:\d+\) is unreachable/);
    daemons.delete('c1');
  });

  it('refuses mistakes with the policy error, changing nothing', async () => {
    const before = daemons.get('a1')?.engine.chain.version;
    await expect(call('set', { params: { memWieght: '2' } })).rejects.toMatchObject({ code: 'POLICY_PARAM_UNKNOWN', kind: 'invalid' });
    await expect(call('set', { all: true, scorer: 'fastest' })).rejects.toMatchObject({ code: 'POLICY_UNKNOWN' });
    await expect(call('set', { balancer: 'maybe' })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await expect(call('set', {})).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: 'nothing to change' });
    await expect(call('set', { host: 'b1', params: { 'zinctask.memWeight': '-1' } })).rejects.toMatchObject({ code: 'POLICY_PARAM_INVALID' });
    expect(daemons.get('a1')?.engine.chain.version).toBe(before);
  });

  it('drains and undrains, here or elsewhere', async () => {
    const r = await call('drain', { host: 'b1', drain: true });
    expect(r).toEqual({ host: 'b1', draining: true, moving: ['b1.1'], stuck: ['b1.2: no host can take it'] });
    expect(daemons.get('b1')?.draining).toBe(true);
    expect(renderDrain(r)).toBe('b1 draining: 1 moving (b1.1), 1 stuck\n  stuck b1.2: no host can take it\n');
    const u = await call('drain', { host: 'b1', drain: false });
    expect(u.draining).toBe(false);
    expect(renderDrain(u)).toBe('b1 is not draining\n');
    expect((await call('drain', { drain: true })).host).toBe('a1');
  });
});
