/**
 * The CLI's connection to its local zincd (a unix socket). Every call goes to the local daemon,
 * which forwards to other hosts as needed. Transport failures are turned into one-line errors
 * that say how to fix them.
 */
import * as grpc from '@grpc/grpc-js';
import { accessSync, constants, existsSync } from 'node:fs';
import { zincV1 } from '../proto/loader.js';
import type { HostsClient } from '../proto/generated/zinc/v1/Hosts.js';
import type { JobsClient } from '../proto/generated/zinc/v1/Jobs.js';
import { CHANNEL_OPTIONS, LOCAL_CALL_TIMEOUT_MS } from '../daemon/grpc/constants.js';
import { localChannelCredentials } from '../daemon/grpc/credentials.js';
import { fromServiceError, isServiceError } from '../daemon/grpc/status.js';
import { unary } from '../daemon/peers/pool.js';
import { DaemonNotRunningError, SocketPermissionError } from './errors.js';

export const DEFAULT_SOCKET = '/var/lib/zinc/zincd.sock';

export class ZincClient {
  readonly jobs: JobsClient;
  readonly hosts: HostsClient;
  private readonly channel: grpc.Channel;

  constructor(readonly socket: string) {
    const target = `unix:${socket}`;
    const creds = localChannelCredentials();
    this.channel = new grpc.Channel(target, creds, CHANNEL_OPTIONS);
    const opts = { ...CHANNEL_OPTIONS, channelOverride: this.channel };
    const v1 = zincV1();
    this.jobs = new v1.Jobs(target, creds, opts);
    this.hosts = new v1.Hosts(target, creds, opts);
  }

  /** A client for any service of zinc.proto, on the shared channel. */
  service<C extends grpc.Client>(ctor: new (address: string, creds: grpc.ChannelCredentials, options: grpc.ClientOptions) => C): C {
    return new ctor(`unix:${this.socket}`, localChannelCredentials(), { ...CHANNEL_OPTIONS, channelOverride: this.channel });
  }

  /** Fail fast with a useful message instead of a gRPC "UNAVAILABLE" after a timeout. */
  checkSocket(): void {
    if (!existsSync(this.socket)) throw new DaemonNotRunningError(this.socket, 'no socket');
    try {
      accessSync(this.socket, constants.R_OK | constants.W_OK);
    } catch {
      throw new SocketPermissionError(this.socket);
    }
  }

  async call<C extends grpc.Client, K extends keyof C>(client: C, method: K, req: Parameters<typeof unary<C, K>>[2], timeoutMs: number | undefined = LOCAL_CALL_TIMEOUT_MS) {
    this.checkSocket();
    try {
      return await unary(client, method, req, timeoutMs);
    } catch (err) {
      throw this.translate(err);
    }
  }

  translate(err: unknown): unknown {
    if (!isServiceError(err)) return err;
    if (!err.metadata?.get('zinc-code').length && err.code === grpc.status.UNAVAILABLE) {
      return new DaemonNotRunningError(this.socket, /ECONNREFUSED|connect/i.test(err.details) ? 'connection refused' : err.details);
    }
    return fromServiceError(err);
  }

  close(): void {
    this.channel.close();
  }
}
