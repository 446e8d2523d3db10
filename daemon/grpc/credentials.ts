/**
 * The one place where gRPC credentials are made. Today: the local CLI socket is a unix socket with
 * mode 0600 (only root can talk to zincd), and daemon-to-daemon TCP is plaintext. Mutual TLS with a
 * CA per domain will be added here, and nowhere else.
 */
import * as grpc from '@grpc/grpc-js';

/** Credentials for zincd's local CLI socket. */
export function localServerCredentials(): grpc.ServerCredentials {
  return grpc.ServerCredentials.createInsecure();
}

/** Credentials for zincd's peer listener (other daemons, other domains). */
export function peerServerCredentials(): grpc.ServerCredentials {
  return grpc.ServerCredentials.createInsecure();
}

/** Credentials the CLI uses to reach its local daemon. */
export function localChannelCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}

/** Credentials a daemon uses to reach another daemon. */
export function peerChannelCredentials(_peerAddress: string): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}
