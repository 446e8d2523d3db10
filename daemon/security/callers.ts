/**
 * Resolves the Caller of a gRPC call from facts the caller cannot forge: the local socket's
 * kernel credentials, or the peer's verified certificate. The user a peer acts for travels in
 * metadata (`zinc-user`, `zinc-user-uid`) and is believed only from a verified peer.
 */
import * as grpc from '@grpc/grpc-js';
import type { Caller, CallIdentity, RemoteUser } from './caller.js';
import { UnauthenticatedError } from './errors.js';
import type { LocalSocket } from './local-socket.js';
import { identityOfCertificate } from './peer-identity.js';

export const USER_HEADER = 'zinc-user';
export const USER_UID_HEADER = 'zinc-user-uid';

export interface CallersOptions {
  local: Pick<LocalSocket, 'credentials'> | undefined;
  /** The peer listener runs without TLS (`--insecure`): peers are anonymous, not refused. */
  insecure: boolean;
}

export class Callers {
  constructor(private readonly o: CallersOptions) {}

  /** Who made this call; throws UnauthenticatedError when no identity can be established. */
  of(call: CallIdentity & { metadata?: grpc.Metadata }): Caller {
    const peer = call.getPeer();
    const local = this.o.local?.credentials(peer);
    if (local) return { kind: 'local', ...local };
    const user = call.metadata ? userOf(call.metadata) : undefined;
    const cert = call.getAuthContext().sslPeerCertificate;
    if (cert?.raw) {
      const id = identityOfCertificate(cert.raw);
      if (!id) throw new UnauthenticatedError(`peer ${peer}`, 'its certificate has no zinc://DOMAIN/HOST identity');
      return { kind: 'peer', ...id, address: peer, user: user && { ...user, domain: id.domain } };
    }
    if (this.o.insecure) return { kind: 'anonymous', address: peer, user: user && { ...user, domain: '' } };
    throw new UnauthenticatedError(`peer ${peer}`, 'no verified client certificate');
  }
}

function userOf(md: grpc.Metadata): Omit<RemoteUser, 'domain'> | undefined {
  const name = md.get(USER_HEADER)[0];
  const uid = Number(md.get(USER_UID_HEADER)[0]);
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/.test(name)) return undefined;
  return { name, uid: Number.isInteger(uid) && uid >= 0 ? uid : -1 };
}

/** Metadata that tells a peer which user a forwarded request is for. */
export function userMetadata(user: { name: string; uid: number }): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(USER_HEADER, user.name);
  md.set(USER_UID_HEADER, String(user.uid));
  return md;
}
