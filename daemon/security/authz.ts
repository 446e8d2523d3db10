/**
 * Who may do what (docs/security.md, "Users"). Every user-facing RPC first turns its call into an
 * Actor, the local account the request acts as on this host, and then asks one of the checks
 * below. Reading the grid (lists, hosts, a job's state) is open to all, like squeue; acting on a
 * job needs its owner or root; the host's policy and drain need root.
 */
import type { Via } from '../../proto/generated/zinc/v1/Via.js';
import type { JobRecord } from '../jobs/record.js';
import { lookupUser, type UserInfo } from '../jobs/users.js';
import type { Caller, CallIdentity } from './caller.js';
import { describeCaller } from './caller.js';
import type { Callers } from './callers.js';
import { PermissionDeniedError, UserNotMappedError } from './errors.js';
import { mapRemoteUser, type UserMap } from './user-map.js';

export interface Actor {
  caller: Caller;
  /** The local account the request acts as. */
  user: UserInfo;
  /** May act on every job of this host, and change its policy. */
  root: boolean;
  /** The domain the request comes from: this host's for local callers, the certificate's for peers. */
  domain: string;
}

/** Cached account lookups: one `getent` per uid per minute, not one per call. */
const LOOKUP_TTL_MS = 60_000;

export interface AuthorizerOptions {
  callers: Callers;
  hostId: string;
  domain: string;
  userMap: UserMap;
  lookup?: (nameOrUid: string) => Promise<UserInfo | undefined>;
}

export class Authorizer {
  private readonly cache = new Map<string, { user: UserInfo | undefined; at: number }>();
  private readonly lookup: (nameOrUid: string) => Promise<UserInfo | undefined>;

  constructor(private readonly o: AuthorizerOptions) {
    this.lookup = o.lookup ?? lookupUser;
  }

  /** The caller, for RPCs that only daemons (or local root) use. */
  caller(call: CallIdentity): Caller {
    return this.o.callers.of(call);
  }

  /** The account a user-facing request acts as. A Via is only believed from a daemon. */
  async actor(call: CallIdentity, via: Via | null | undefined): Promise<Actor> {
    const caller = this.o.callers.of(call);
    if (caller.kind === 'local') {
      const user = await this.account(String(caller.uid));
      if (!user || user.uid !== caller.uid) throw new PermissionDeniedError(describeCaller(caller), 'use zinc', `uid ${caller.uid} has no account on ${this.o.hostId} (getent passwd ${caller.uid} finds none)`);
      return { caller, user, root: caller.uid === 0, domain: this.o.domain };
    }
    const domain = caller.kind === 'peer' ? caller.domain : via?.originDomain || this.o.domain;
    const name = via?.user;
    if (!name) throw new PermissionDeniedError(describeCaller(caller), 'act without naming the user it acts for', 'Upgrade that daemon: forwarded requests carry their user');
    const localName = mapRemoteUser(this.o.userMap, this.o.domain, domain, name);
    const user = localName === undefined ? undefined : await this.account(localName);
    if (!user) throw new UserNotMappedError(name, domain, this.o.hostId);
    return { caller, user, root: user.uid === 0, domain };
  }

  /** Acting on a job (stop, kill, checkpoint, migrate, output) needs its owner or root. */
  requireOwner(actor: Actor, job: JobRecord, action: string): void {
    if (actor.root || actor.user.uid === job.spec.uid) return;
    throw new PermissionDeniedError(
      `user ${actor.user.name}`,
      `${action} job ${job.gpid}, which belongs to ${job.spec.user}`,
      'Only the job\'s owner or root may do this (anyone may see it with zinc ps / zinc show)',
    );
  }

  isOwner(actor: Actor, job: JobRecord): boolean {
    return actor.root || actor.user.uid === job.spec.uid;
  }

  /**
   * Host-wide changes (policy, drain) need root here: local root, root of a host of this domain,
   * or a user of another domain that this host's user map explicitly maps to root. A peer's
   * certificate alone never does: it names a host, not an administrator.
   */
  requireRoot(actor: Actor, action: string): void {
    if (actor.root) return;
    throw new PermissionDeniedError(`user ${actor.user.name}${actor.domain === this.o.domain ? '' : ` of domain ${actor.domain}`}`, action, `Run it as root on a host of domain ${this.o.domain} (or have its operator map your domain's root in userMap)`);
  }

  /** RPCs of the daemons' own protocols (gossip, migration, reports): peers and local root only. */
  requireDaemon(call: CallIdentity, action: string): Caller {
    const caller = this.o.callers.of(call);
    if (caller.kind !== 'local' || caller.uid === 0) return caller;
    throw new PermissionDeniedError(describeCaller(caller), action, 'This is part of the protocol between daemons; use the zinc commands instead');
  }

  /** The user a job runs as: the submitter, unless root asks for someone else. */
  runAs(actor: Actor, requested: string): string {
    if (!requested || requested === actor.user.name || requested === String(actor.user.uid)) return actor.user.name;
    if (actor.root) return requested;
    // A forwarding daemon named its own account; here the request acts as the mapped one.
    if (actor.caller.kind !== 'local') return actor.user.name;
    throw new PermissionDeniedError(`user ${actor.user.name}`, `submit a job as ${requested}`, 'Leave out --user to run as yourself; only root may run jobs as another user');
  }

  private async account(nameOrUid: string): Promise<UserInfo | undefined> {
    const hit = this.cache.get(nameOrUid);
    if (hit && Date.now() - hit.at < LOOKUP_TTL_MS) return hit.user;
    const user = await this.lookup(nameOrUid);
    this.cache.set(nameOrUid, { user, at: Date.now() });
    return user;
  }
}
