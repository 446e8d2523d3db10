/**
 * Where is host H, and where is job G? Resolves names through the gossiped directory, forwards
 * requests to other daemons with a hop count (so loops are cut), and turns transport failures into
 * HostUnreachableError while passing the remote daemon's own errors through unchanged.
 */
import * as grpc from '@grpc/grpc-js';
import type { Via } from '../../proto/generated/zinc/v1/Via.js';
import type { Discovery } from '../discovery/discovery.js';
import { MAX_FORWARD_HOPS } from '../grpc/constants.js';
import { fromServiceError, isServiceError } from '../grpc/status.js';
import { parseGpid } from '../jobs/gpid.js';
import { InvalidGpidError, JobNotFoundError } from '../jobs/errors.js';
import type { JobManager } from '../jobs/manager.js';
import type { JobRecord } from '../jobs/record.js';
import type { Actor } from '../security/authz.js';
import { IDENTITY_REFUSED } from '../grpc/credentials.js';
import { PeerIdentityError } from '../security/errors.js';
import type { PeerIdentity } from '../security/peer-identity.js';
import { HostUnknownError, HostUnreachableError, TooManyHopsError } from './errors.js';

export type JobRoute = { kind: 'local'; record: JobRecord } | { kind: 'remote'; host: string; stub: JobRecord | undefined };

export class Router {
  constructor(
    readonly hostId: string,
    readonly domain: string,
    private readonly discovery: Discovery,
    private readonly jobs: JobManager,
  ) {}

  /** Address of a host by id, or a clear error. */
  address(host: string): string {
    if (host === this.hostId) return this.discovery.self().address;
    const e = this.discovery.lookup(host);
    if (!e) throw new HostUnknownError(host, this.discovery.views().map((v) => v.record.host));
    return e.record.address;
  }

  /**
   * The identity a connection to `host` must prove (host id and the domain its gossip record
   * claims); the pool binds the channel to it. Undefined for this host itself.
   */
  identity(host: string): PeerIdentity | undefined {
    if (host === this.hostId) return undefined;
    const e = this.discovery.lookup(host);
    if (!e) throw new HostUnknownError(host, this.discovery.views().map((v) => v.record.host));
    return { host, domain: e.record.domain };
  }

  domainOf(host: string): string | undefined {
    return this.discovery.lookup(host)?.record.domain;
  }

  /**
   * The Via to put on a request this daemon forwards. With an actor, the request goes on as that
   * local account (the next domain maps it again), and a Via a local caller sent is ignored.
   * Without one (requests anyone may make) it names no user: nobody here vouched for one.
   */
  forwardVia(via: Via | null | undefined, what: string, actor?: Actor): Via {
    const incoming = actor?.caller.kind === 'local' ? undefined : via;
    const hops = (incoming?.hops ?? 0) + 1;
    if (hops > MAX_FORWARD_HOPS) throw new TooManyHopsError(what);
    return {
      originHost: incoming?.originHost || this.hostId,
      originDomain: incoming?.originDomain || this.domain,
      hops,
      user: actor?.user.name ?? '',
      uid: actor?.user.uid ?? 0,
    };
  }

  /** Where a job is: here, or which host to ask next. */
  route(gpid: string): JobRoute {
    const parsed = parseGpid(gpid);
    if (!parsed) throw new InvalidGpidError(gpid);
    const r = this.jobs.get(gpid);
    if (r && r.state !== 'moved') return { kind: 'local', record: r };
    if (r) return { kind: 'remote', host: r.location, stub: r };
    if (parsed.home === this.hostId) throw new JobNotFoundError(gpid, this.hostId);
    return { kind: 'remote', host: parsed.home, stub: undefined };
  }

  /**
   * Run a call against another daemon, over a channel bound to the identity its gossip record
   * claims; transport failures become HostUnreachableError, a refused identity PeerIdentityError.
   */
  async call<T>(host: string, fn: (address: string, expect: PeerIdentity | undefined) => Promise<T>): Promise<T> {
    const address = this.address(host);
    const expect = this.identity(host);
    try {
      return await fn(address, expect);
    } catch (err) {
      throw this.translate(err, host, address);
    }
  }

  translate(err: unknown, host: string, address: string): unknown {
    if (!isServiceError(err)) return err;
    const zincCode = err.metadata?.get('zinc-code')[0];
    const refused = !zincCode && err.code === grpc.status.UNAVAILABLE ? identityRefusal(err.details) : undefined;
    if (refused) return new PeerIdentityError(host, address, refused);
    if (!zincCode && (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED)) {
      return new HostUnreachableError(host, address, summariseTransport(err.details));
    }
    return fromServiceError(err);
  }
}

/** The reason in a handshake our identity check refused (credentials.ts), or undefined. */
export function identityRefusal(details: string | undefined): string | undefined {
  const d = details ?? '';
  const i = d.indexOf(IDENTITY_REFUSED);
  return i < 0 ? undefined : d.slice(i + IDENTITY_REFUSED.length + 2).replace(/\s*Resolution note:.*$/, '').slice(0, 200);
}

/** grpc-js details are long ("No connection established. Last error: Error: connect …"). */
export function summariseTransport(details: string | undefined): string {
  const d = details ?? '';
  if (/ECONNREFUSED/.test(d)) return 'connection refused';
  if (/ETIMEDOUT|Deadline exceeded|DEADLINE/i.test(d)) return 'no answer in time';
  if (/EHOSTUNREACH|ENETUNREACH/.test(d)) return 'no route to host';
  if (/ECONNRESET|Connection dropped|RST_STREAM/i.test(d)) return 'connection lost';
  return d.replace(/\s*Resolution note:.*$/, '').slice(0, 160) || 'no answer';
}
