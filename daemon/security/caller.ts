/**
 * Who is calling zincd. The identity is never taken from a request: a local caller's uid comes
 * from the kernel (SO_PEERCRED on the unix socket, see local-socket.ts) and a peer daemon's host
 * id and domain from its verified TLS certificate (see certs.ts). A request forwarded by a peer may
 * carry the user it acts for (Via.user, see authz.ts); that claim is only as good as the forwarding
 * daemon's certificate.
 */
import type { AuthContext } from '@grpc/grpc-js/build/src/auth-context.js';

export type Caller =
  /** A process on this host, on the local socket. */
  | { kind: 'local'; uid: number; gid: number; pid: number }
  /** Another zincd whose certificate was verified against a trusted CA. */
  | { kind: 'peer'; host: string; domain: string; address: string }
  /** Another zincd on a listener without TLS (`--insecure`): nothing about it is verified. */
  | { kind: 'anonymous'; address: string };

/** The part of a grpc-js server call that identifies its connection. */
export interface CallIdentity {
  getPeer(): string;
  getAuthContext(): AuthContext;
}

export function isRoot(c: Caller): boolean {
  return c.kind === 'local' && c.uid === 0;
}

/** One short phrase for logs and refusals, e.g. "uid 1000", "host d2-h1 of domain d2". */
export function describeCaller(c: Caller): string {
  switch (c.kind) {
    case 'local':
      return `local uid ${c.uid}`;
    case 'peer':
      return `host ${c.host} of domain ${c.domain}`;
    case 'anonymous':
      return `unauthenticated peer ${c.address}`;
  }
}

/** Structured fields for pino. */
export function callerFields(c: Caller): Record<string, string | number> {
  switch (c.kind) {
    case 'local':
      return { callerKind: 'local', uid: c.uid, pid: c.pid };
    case 'peer':
      return { callerKind: 'peer', peerHost: c.host, peerDomain: c.domain };
    case 'anonymous':
      return { callerKind: 'anonymous', address: c.address };
  }
}
