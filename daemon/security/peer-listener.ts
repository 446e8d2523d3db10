/**
 * zincd's peer listener with mutual TLS. zinc terminates TLS itself (node:tls) and injects each
 * verified connection into the gRPC server, instead of letting grpc-js bind a TLS port, for three
 * reasons: every refused handshake is logged with its reason and address (grpc-js only traces
 * them); a certificate that chains to the bundle but names a host its CA may not vouch for (a
 * zinc://B/… identity signed by A's CA) is dropped before any RPC; and SIGHUP swaps the
 * certificates in place (setSecureContext) for new connections.
 */
import type * as grpc from '@grpc/grpc-js';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import type { Logger } from '../log.js';
import { listenOn } from './listen.js';
import type { TlsMaterial } from './tls-files.js';

/** A peer must finish its handshake within this time, or the connection is dropped. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** The same refusal from one address is logged at most this often (a scanner must not flood the log). */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export class PeerListener {
  private readonly server: tls.Server;
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();
  private readonly addresses = new WeakMap<net.Socket, string>();

  constructor(
    private material: TlsMaterial,
    private readonly injector: grpc.ConnectionInjector,
    private readonly log: Logger,
  ) {
    this.server = tls.createServer({
      ...contextOptions(material),
      // Verified below, on 'secureConnection', so that each refusal is logged with its reason
      // (node would just drop the connection); nothing is read from a connection before that.
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    this.server.on('connection', (raw: net.Socket) => this.addresses.set(raw, raw.remoteAddress ?? '?'));
    this.server.on('secureConnection', (socket) => this.accept(socket));
    this.server.on('tlsClientError', (err, socket) => {
      this.refused(this.remoteOf(socket), handshakeReason(err));
      socket.destroy();
    });
  }

  /** Listens on host:port; resolves with the port actually bound (port 0 picks one). */
  listen(host: string, port: number): Promise<number> {
    return listenOn(this.server, host, port, this.log);
  }

  /** New connections use `m` from now on; established ones keep what they negotiated. */
  reload(m: TlsMaterial): void {
    this.server.setSecureContext(contextOptions(m));
    this.material = m;
  }

  close(): void {
    this.server.close();
  }

  private accept(socket: tls.TLSSocket): void {
    socket.on('error', () => undefined);
    const remote = socket.remoteAddress ?? '?';
    const cert = socket.getPeerCertificate();
    const verdict = !cert.raw
      ? { ok: false as const, reason: 'no client certificate' }
      : !socket.authorized
        ? { ok: false as const, reason: `certificate not accepted: ${String(socket.authorizationError)} (not signed by a CA in --tls-ca?)` }
        : this.material.trust.verifyPeer(cert.raw);
    if (!verdict.ok) {
      this.refused(remote, verdict.reason);
      socket.destroy();
      return;
    }
    this.log.debug({ remote, peerHost: verdict.identity.host, peerDomain: verdict.identity.domain }, 'peer connected');
    this.injector.injectConnection(socket);
  }

  /**
   * A socket that hung up mid-handshake no longer knows its peer's address; the TCP socket under it
   * (node keeps it as `_parent`) was asked when it connected.
   */
  private remoteOf(socket: tls.TLSSocket): string {
    const raw = (socket as unknown as { _parent?: net.Socket })._parent;
    return socket.remoteAddress ?? (raw ? this.addresses.get(raw) : undefined) ?? '?';
  }

  private refused(remote: string, reason: string): void {
    const now = Date.now();
    // Per address and reason: a new kind of refusal from the same address is always logged.
    const key = `${remote} ${reason.slice(0, 60)}`;
    const last = this.lastLogged.get(key);
    if (last && now - last.at < REFUSAL_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    if (this.lastLogged.size > 1000) this.lastLogged.clear();
    this.lastLogged.set(key, { at: now, suppressed: 0 });
    this.log.warn({ remote, reason, suppressedSinceLast: last?.suppressed ?? 0 }, 'peer connection refused');
  }
}

/** What a failed handshake means, in the terms of a zinc operator. */
function handshakeReason(err: Error): string {
  if (/socket hang up|ECONNRESET/.test(err.message)) return 'TLS handshake failed: the peer hung up (it does not trust this host\'s certificate: a stranger, or a domain whose bundle lacks this domain\'s CA)';
  if (/wrong version number|http request|unexpected message/i.test(err.message)) return `TLS handshake failed: the peer does not speak TLS (a daemon without --tls-*?): ${err.message.split('\n')[0]?.slice(0, 120) ?? ''}`;
  return `TLS handshake failed: ${err.message.split('\n')[0]?.slice(0, 160) ?? ''}`;
}

function contextOptions(m: TlsMaterial): tls.SecureContextOptions {
  return { ca: m.caPem, cert: m.certPem, key: m.keyPem };
}
