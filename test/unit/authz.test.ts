/** Issue 10, users: the mapping rule and the permission checks, at the unit boundary. */
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../daemon/jobs/record.js';
import type { UserInfo } from '../../daemon/jobs/users.js';
import { Authorizer, type Actor } from '../../daemon/security/authz.js';
import type { Caller } from '../../daemon/security/caller.js';
import { Callers } from '../../daemon/security/callers.js';
import { DomainRefusedError, PermissionDeniedError, UserNotMappedError } from '../../daemon/security/errors.js';
import { requireTrust, trusts } from '../../daemon/security/domain-trust.js';
import { mapRemoteUser } from '../../daemon/security/user-map.js';

const ACCOUNTS: UserInfo[] = [
  { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' },
  { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/sh' },
  { name: 'bob', uid: 1001, gid: 1001, home: '/home/bob', shell: '/bin/sh' },
  { name: 'grid', uid: 2000, gid: 2000, home: '/home/grid', shell: '/bin/sh' },
];
const lookup = async (k: string) => ACCOUNTS.find((u) => u.name === k || String(u.uid) === k);

function authorizer(caller: Caller, userMap = {}): Authorizer {
  const callers = { of: () => caller } as unknown as Callers;
  return new Authorizer({ callers, hostId: 'h1', domain: 'd1', userMap, lookup });
}
const call = { getPeer: () => 'x', getAuthContext: () => ({}) };
const job = (uid: number, user: string) => ({ gpid: 'h1.1', spec: { uid, user } }) as unknown as JobRecord;

describe('user map', () => {
  it('keeps names inside the domain, maps others only as configured, never root by wildcard', () => {
    const map = { d2: { '*': 'grid', carol: 'alice' }, '*': { '*': '=' } };
    expect(mapRemoteUser(map, 'd1', 'd1', 'bob')).toBe('bob');
    expect(mapRemoteUser(map, 'd1', 'd1', 'root')).toBe('root');
    expect(mapRemoteUser(map, 'd1', 'd2', 'carol')).toBe('alice');
    expect(mapRemoteUser(map, 'd1', 'd2', 'dave')).toBe('grid');
    expect(mapRemoteUser(map, 'd1', 'd2', 'root')).toBeUndefined();
    expect(mapRemoteUser(map, 'd1', 'd9', 'dave')).toBe('dave');
    expect(mapRemoteUser(map, 'd1', 'd9', 'root')).toBeUndefined();
    expect(mapRemoteUser({ d2: { '*': 'root' } }, 'd1', 'd2', 'dave')).toBeUndefined();
    expect(mapRemoteUser({ d2: { root: 'root' } }, 'd1', 'd2', 'root')).toBe('root');
    expect(mapRemoteUser({}, 'd1', 'd2', 'alice')).toBeUndefined();
  });
});

describe('Authorizer', () => {
  it('takes a local caller\'s account from the kernel uid, whatever the request says', async () => {
    const a = authorizer({ kind: 'local', uid: 1000, gid: 1000, pid: 5 });
    const actor = await a.actor(call, { originHost: 'h9', originDomain: 'd9', hops: 1, user: 'root', uid: 0 });
    expect(actor.user.name).toBe('alice');
    expect(actor.root).toBe(false);
    expect(actor.domain).toBe('d1');
  });

  it('maps a verified peer\'s user through the map, and refuses an unmapped one', async () => {
    const peer: Caller = { kind: 'peer', host: 'x1', domain: 'd2', address: '198.18.0.2:7070' };
    const a = authorizer(peer, { d2: { '*': 'grid' } });
    const actor = await a.actor(call, { originHost: 'x1', originDomain: 'd1', hops: 1, user: 'carol', uid: 77 });
    expect(actor.user.name).toBe('grid');
    expect(actor.domain).toBe('d2'); // the certificate's domain, not the Via's
    await expect(a.actor(call, { originHost: 'x1', originDomain: 'd2', hops: 1, user: 'root', uid: 0 })).rejects.toBeInstanceOf(UserNotMappedError);
    await expect(a.actor(call, { originHost: 'x1', originDomain: 'd2', hops: 1, user: '', uid: 0 })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('lets owners and root act, and nobody else', async () => {
    const a = authorizer({ kind: 'local', uid: 1001, gid: 1001, pid: 5 });
    const bob: Actor = await a.actor(call, undefined);
    expect(() => a.requireOwner(bob, job(1001, 'bob'), 'kill')).not.toThrow();
    expect(() => a.requireOwner(bob, job(1000, 'alice'), 'kill')).toThrow(/user bob may not kill job h1\.1, which belongs to alice/);
    expect(() => a.requireRoot(bob, 'drain h1')).toThrow(PermissionDeniedError);
    const root = await authorizer({ kind: 'local', uid: 0, gid: 0, pid: 1 }).actor(call, undefined);
    expect(() => a.requireOwner(root, job(1000, 'alice'), 'kill')).not.toThrow();
  });

  it('gives host-wide rights to a remote root only through an explicit user-map entry', async () => {
    const peer: Caller = { kind: 'peer', host: 'x1', domain: 'd2', address: '198.18.0.2:7070' };
    const via = { originHost: 'x1', originDomain: 'd2', hops: 1, user: 'root', uid: 0 };
    // A certificate alone: root of d2 has no account here at all.
    await expect(authorizer(peer, { d2: { '*': 'grid' } }).actor(call, via)).rejects.toBeInstanceOf(UserNotMappedError);
    // Mapped to root by the operator: it may drain this host.
    const mapped = authorizer(peer, { d2: { root: 'root' } });
    const asRoot = await mapped.actor(call, via);
    expect(() => mapped.requireRoot(asRoot, 'drain h1')).not.toThrow();
    // Mapped to an ordinary account: it may not.
    const squashed = authorizer(peer, { d2: { root: 'grid' } });
    const asGrid = await squashed.actor(call, via);
    expect(() => squashed.requireRoot(asGrid, 'drain h1')).toThrow(/may not drain h1/);
  });

  it('runs jobs as the submitter; only root picks another user', async () => {
    const a = authorizer({ kind: 'local', uid: 1000, gid: 1000, pid: 5 });
    const alice = await a.actor(call, undefined);
    expect(a.runAs(alice, '')).toBe('alice');
    expect(a.runAs(alice, 'alice')).toBe('alice');
    expect(() => a.runAs(alice, 'root')).toThrow(/alice may not submit a job as root/);
    const root = await authorizer({ kind: 'local', uid: 0, gid: 0, pid: 1 }).actor(call, undefined);
    expect(a.runAs(root, '')).toBe('root');
    expect(a.runAs(root, 'bob')).toBe('bob');
  });

  it('keeps daemon-only RPCs from local users', () => {
    expect(() => authorizer({ kind: 'local', uid: 1000, gid: 1000, pid: 5 }).requireDaemon(call, 'push gossip')).toThrow(PermissionDeniedError);
    expect(authorizer({ kind: 'local', uid: 0, gid: 0, pid: 5 }).requireDaemon(call, 'push gossip').kind).toBe('local');
  });
});

describe('domain trust', () => {
  const config = { hostId: 'h1', domain: 'd1', acceptJobsFrom: ['d2'], acceptMigrationsFrom: ['*'], sendJobsTo: ['d2'] };
  it('always trusts its own domain, then follows each list', () => {
    expect(trusts(config, 'jobs-from', 'd1')).toBe(true);
    expect(trusts(config, 'jobs-from', 'd2')).toBe(true);
    expect(trusts(config, 'jobs-from', 'd3')).toBe(false);
    expect(trusts(config, 'jobs-from', '')).toBe(false); // an empty claimed domain is not a free pass
    expect(trusts(config, 'migrations-from', 'd3')).toBe(true);
    expect(trusts(config, 'send-to', 'd3')).toBe(false);
  });
  it('names the domain and the setting to change in a refusal', () => {
    expect(() => requireTrust(config, 'send-to', 'd3')).toThrow(/h1 does not send jobs to domain d3/);
    const err = (() => {
      try {
        requireTrust(config, 'jobs-from', 'd3');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DomainRefusedError);
    expect((err as DomainRefusedError).hint).toMatch(/acceptJobsFrom \(--accept-jobs-from\)/);
  });
});
