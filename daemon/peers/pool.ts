/**
 * One gRPC channel per peer address, shared by every service client to that peer. Channels are
 * created lazily and closed when the daemon stops.
 */
import * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { GossipClient } from '../../proto/generated/zinc/v1/Gossip.js';
import type { HostsClient } from '../../proto/generated/zinc/v1/Hosts.js';
import type { JobsClient } from '../../proto/generated/zinc/v1/Jobs.js';
import type { MigrationPeerClient } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import { CHANNEL_OPTIONS } from '../grpc/constants.js';
import { peerChannelCredentials } from '../grpc/credentials.js';

interface PeerClients {
  channel: grpc.Channel;
  jobs?: JobsClient;
  hosts?: HostsClient;
  gossip?: GossipClient;
  migration?: MigrationPeerClient;
}

export class PeerPool {
  private readonly peers = new Map<string, PeerClients>();

  private entry(address: string): PeerClients {
    let e = this.peers.get(address);
    if (!e) {
      e = { channel: new grpc.Channel(address, peerChannelCredentials(address), CHANNEL_OPTIONS) };
      this.peers.set(address, e);
    }
    return e;
  }

  private opts(address: string): grpc.ClientOptions {
    return { ...CHANNEL_OPTIONS, channelOverride: this.entry(address).channel };
  }

  jobs(address: string): JobsClient {
    const e = this.entry(address);
    return (e.jobs ??= new (zincV1().Jobs)(address, peerChannelCredentials(address), this.opts(address)));
  }

  hosts(address: string): HostsClient {
    const e = this.entry(address);
    return (e.hosts ??= new (zincV1().Hosts)(address, peerChannelCredentials(address), this.opts(address)));
  }

  gossip(address: string): GossipClient {
    const e = this.entry(address);
    return (e.gossip ??= new (zincV1().Gossip)(address, peerChannelCredentials(address), this.opts(address)));
  }

  /** Start connecting to a peer now (e.g. before a transfer that must not wait for a handshake). */
  warm(address: string): void {
    this.entry(address).channel.getConnectivityState(true);
  }

  migrationPeer(address: string): MigrationPeerClient {
    const e = this.entry(address);
    return (e.migration ??= new (zincV1().MigrationPeer)(address, peerChannelCredentials(address), this.opts(address)));
  }

  /** Client options bound to the shared channel, for service clients made elsewhere. */
  channelOptions(address: string): grpc.ClientOptions {
    return this.opts(address);
  }

  credentials(address: string): grpc.ChannelCredentials {
    return peerChannelCredentials(address);
  }

  close(): void {
    for (const e of this.peers.values()) e.channel.close();
    this.peers.clear();
  }
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
