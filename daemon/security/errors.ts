/** Errors of the trust boundary: who may do what, and what a peer must prove. */
import { ZincError } from '../common/zinc-error.js';

/** The caller is known, and not allowed to do this. CLI exit code 5. */
export class PermissionDeniedError extends ZincError {
  readonly code = 'PERMISSION_DENIED';
  override readonly kind = 'denied';
  constructor(readonly who: string, readonly action: string, hint: string) {
    super(`${who} may not ${action}`, { hint, context: { who, action } });
  }
}

/** The caller could not be identified (no peer credentials, no verified certificate). */
export class UnauthenticatedError extends ZincError {
  readonly code = 'UNAUTHENTICATED';
  override readonly kind = 'denied';
  constructor(readonly who: string, readonly detail: string) {
    super(`${who} is not authenticated: ${detail}`, {
      hint: 'Peers need a host certificate from a CA this host trusts (zinc tls cert create; see docs/security.md)',
      context: { who, detail },
    });
  }
}

/** The peer credentials helper failed: zincd cannot tell who is on the local socket. */
export class PeerCredentialsError extends ZincError {
  readonly code = 'PEER_CREDENTIALS';
  override readonly kind = 'internal';
  constructor(readonly detail: string) {
    super(`cannot read the local caller's credentials: ${detail}`, {
      hint: 'Rebuild zinc (npm run build builds build/zinc-peercred) and check zincd can run it',
      context: { detail },
    });
  }
}
