/**
 * Resolves the Caller of a gRPC call from facts the caller cannot forge: the local socket's
 * kernel credentials, or the peer's verified certificate. (The user a peer acts for travels in
 * the request's Via and is mapped by authz.ts.)
 */
import type { Caller, CallIdentity } from './caller.js';
import { UnauthenticatedError } from './errors.js';
import type { LocalSocket } from './local-socket.js';
import { identityOfCertificate } from './peer-identity.js';

export interface CallersOptions {
  local: Pick<LocalSocket, 'credentials'> | undefined;
  /** The peer listener runs without TLS (`--insecure`): peers are anonymous, not refused. */
  insecure: boolean;
}

export class Callers {
  constructor(private readonly o: CallersOptions) {}

  /** Who made this call; throws UnauthenticatedError when no identity can be established. */
  of(call: CallIdentity): Caller {
    const peer = call.getPeer();
    const local = this.o.local?.credentials(peer);
    if (local) return { kind: 'local', ...local };
    const cert = call.getAuthContext().sslPeerCertificate;
    if (cert?.raw) {
      const id = identityOfCertificate(cert.raw);
      if (!id) throw new UnauthenticatedError(`peer ${peer}`, 'its certificate has no zinc://DOMAIN/HOST identity');
      return { kind: 'peer', ...id, address: peer };
    }
    if (this.o.insecure) return { kind: 'anonymous', address: peer };
    throw new UnauthenticatedError(`peer ${peer}`, 'no verified client certificate');
  }
}
