/**
 * One gRPC channel per peer address and expected identity, shared by every service client to that
 * peer. With TLS a channel is bound to the host id and domain the caller expects at that address
 * (from the gossip record), so a channel to an impostor is never reused for the real host or the
 * other way round; a channel without an expected identity (a seed known only by its address)
 * accepts any host certificate from a trusted CA. Channels are created lazily, closed when idle
 * for IDLE_CLOSE_MS or when discovery forgets the host, and all of them when certificates reload.
 */
import * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { GossipClient } from '../../proto/generated/zinc/v1/Gossip.js';
import type { HostsClient } from '../../proto/generated/zinc/v1/Hosts.js';
import type { JobsClient } from '../../proto/generated/zinc/v1/Jobs.js';
import type { MigrationPeerClient } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import { CHANNEL_OPTIONS } from '../grpc/constants.js';
import { peerChannelCredentials } from '../grpc/credentials.js';
import type { PeerIdentity } from '../security/peer-identity.js';
import type { TlsMaterial } from '../security/tls-files.js';

/** A channel nobody asked for in this long, and with no call in flight, is closed. */
export const IDLE_CLOSE_MS = 5 * 60_000;
const SWEEP_MS = 60_000;

interface PeerClients {
  address: string;
  channel: grpc.Channel;
  lastUsed: number;
  jobs?: JobsClient;
  hosts?: HostsClient;
  gossip?: GossipClient;
  migration?: MigrationPeerClient;
}

export type { PeerIdentity };

export class PeerPool {
  private readonly peers = new Map<string, PeerClients>();
  private sweeper: NodeJS.Timeout | undefined;

  /** @param tls the current TLS material (undefined: plaintext), read for every new channel. */
  constructor(private readonly tls: () => TlsMaterial | undefined = () => undefined) {}

  private static key(address: string, expect: PeerIdentity | undefined): string {
    return expect ? `${address}|${expect.domain}/${expect.host}` : address;
  }

  private entry(address: string, expect: PeerIdentity | undefined): PeerClients {
    const key = PeerPool.key(address, expect);
    let e = this.peers.get(key);
    if (!e) {
      const tls = this.tls();
      // A zinc host is named by its certificate, not its address: no SNI with an IP (which node
      // warns about, RFC 6066); credentials.ts checks the zinc:// identity instead of the name.
      const options = tls ? { ...CHANNEL_OPTIONS, 'grpc.ssl_target_name_override': 'zinc' } : CHANNEL_OPTIONS;
      e = { address, lastUsed: 0, channel: new grpc.Channel(address, peerChannelCredentials(tls, expect), options) };
      this.peers.set(key, e);
      this.startSweeper();
    }
    e.lastUsed = Date.now();
    return e;
  }

  private opts(e: PeerClients): grpc.ClientOptions {
    return { ...CHANNEL_OPTIONS, channelOverride: e.channel };
  }

  private creds(expect: PeerIdentity | undefined): grpc.ChannelCredentials {
    return peerChannelCredentials(this.tls(), expect);
  }

  jobs(address: string, expect?: PeerIdentity): JobsClient {
    const e = this.entry(address, expect);
    return (e.jobs ??= new (zincV1().Jobs)(address, this.creds(expect), this.opts(e)));
  }

  hosts(address: string, expect?: PeerIdentity): HostsClient {
    const e = this.entry(address, expect);
    return (e.hosts ??= new (zincV1().Hosts)(address, this.creds(expect), this.opts(e)));
  }

  gossip(address: string, expect?: PeerIdentity): GossipClient {
    const e = this.entry(address, expect);
    return (e.gossip ??= new (zincV1().Gossip)(address, this.creds(expect), this.opts(e)));
  }

  /** Start connecting to a peer now (e.g. before a transfer that must not wait for a handshake). */
  warm(address: string, expect?: PeerIdentity): void {
    this.entry(address, expect).channel.getConnectivityState(true);
  }

  migrationPeer(address: string, expect?: PeerIdentity): MigrationPeerClient {
    const e = this.entry(address, expect);
    return (e.migration ??= new (zincV1().MigrationPeer)(address, this.creds(expect), this.opts(e)));
  }

  /** Client options bound to the shared channel, for service clients made elsewhere. */
  channelOptions(address: string, expect?: PeerIdentity): grpc.ClientOptions {
    return this.opts(this.entry(address, expect));
  }

  credentials(_address: string, expect?: PeerIdentity): grpc.ChannelCredentials {
    return this.creds(expect);
  }

  /** Closes the channels to `address` that carry no call (discovery forgot the host there). */
  forget(address: string): void {
    for (const [key, e] of this.peers) if (e.address === address && !busy(e)) this.drop(key, e);
  }

  /** Closes every channel: after a certificate reload, new calls open channels with the new files. */
  reset(): void {
    for (const [key, e] of this.peers) this.drop(key, e);
  }

  /** Closes channels unused for `idleMs` that carry no call. */
  sweep(now = Date.now(), idleMs = IDLE_CLOSE_MS): number {
    let closed = 0;
    for (const [key, e] of this.peers) {
      if (now - e.lastUsed >= idleMs && !busy(e)) {
        this.drop(key, e);
        closed++;
      }
    }
    return closed;
  }

  get size(): number {
    return this.peers.size;
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.reset();
  }

  private drop(key: string, e: PeerClients): void {
    this.peers.delete(key);
    e.channel.close();
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }
}

/** READY or CONNECTING may carry a call (a migration stream, logs -f); IDLE and failures do not. */
function busy(e: PeerClients): boolean {
  const s = e.channel.getConnectivityState(false);
  return s === grpc.connectivityState.READY || s === grpc.connectivityState.CONNECTING;
}

/**
 * The request and reply types of a generated unary method. Generated clients overload each method;
 * conditional types see the last overload, `(argument, callback)`, which is exactly what we need.
 */
type UnaryTypes<F> = F extends (argument: infer A, callback: grpc.requestCallback<infer R>) => grpc.ClientUnaryCall ? { req: A; res: R } : never;
type UnaryFn = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => grpc.ClientUnaryCall;

/** Promise wrapper for a unary call, with a deadline unless timeoutMs is undefined. */
export function unary<C extends grpc.Client, K extends keyof C>(
  client: C,
  method: K,
  req: UnaryTypes<C[K]>['req'],
  timeoutMs: number | undefined,
): Promise<UnaryTypes<C[K]>['res']> {
  return new Promise((resolve, reject) => {
    const opts: grpc.CallOptions = timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs };
    const fn = client[method] as unknown as UnaryFn;
    fn.call(client, req, new grpc.Metadata(), opts, (err, res) => {
      if (err) reject(err);
      else resolve(res as UnaryTypes<C[K]>['res']);
    });
  });
}
