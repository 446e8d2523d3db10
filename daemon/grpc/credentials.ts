/**
 * The one place where gRPC credentials are made. The local CLI socket is plaintext (its caller's
 * identity is the kernel's SO_PEERCRED, see daemon/security/local-socket.ts). Daemon-to-daemon
 * channels use mutual TLS when zincd has TLS files (the listening end is
 * daemon/security/peer-listener.ts), and plaintext only on loopback or with --insecure.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { identityUri, type PeerIdentity } from '../security/peer-identity.js';
import type { TlsMaterial } from '../security/tls-files.js';

/** Prefix of the handshake error a refused identity produces; Router recognises it. */
export const IDENTITY_REFUSED = 'zinc identity refused';

/** Credentials for zincd's local CLI socket. */
export function localServerCredentials(): grpc.ServerCredentials {
  return grpc.ServerCredentials.createInsecure();
}

/** Credentials for zincd's peer listener when it runs without TLS (loopback or --insecure). */
export function peerServerCredentials(): grpc.ServerCredentials {
  return grpc.ServerCredentials.createInsecure();
}

/** Credentials the CLI uses to reach its local daemon. */
export function localChannelCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}

/**
 * Credentials a daemon uses to reach another daemon. With TLS, the channel presents this host's
 * certificate and accepts the server only if its certificate chains to the bundle AND its zinc
 * identity was signed by its own domain's CA AND (when `expect` is given) it is exactly the host
 * and domain the gossip record for that address claims. The TLS hostname check is replaced by the
 * identity check: a zinc host is named by its certificate's zinc:// URI, not by its address.
 */
export function peerChannelCredentials(tls: TlsMaterial | undefined, expect?: PeerIdentity): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  const checkServerIdentity = (_hostname: string, cert: PeerCertificate): Error | undefined => {
    const verdict = tls.trust.verifyPeer(cert.raw);
    if (!verdict.ok) return new Error(`${IDENTITY_REFUSED}: ${verdict.reason}`);
    const got = verdict.identity;
    if (expect && (got.host !== expect.host || got.domain !== expect.domain)) {
      return new Error(`${IDENTITY_REFUSED}: certificate is ${identityUri(got)}, expected ${identityUri(expect)}`);
    }
    return undefined;
  };
  return grpc.credentials.createSsl(tls.caPem, tls.keyPem, tls.certPem, { checkServerIdentity });
}
