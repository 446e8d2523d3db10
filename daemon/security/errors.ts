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

/** A forwarded request's user has no account here under the domain's user map. */
export class UserNotMappedError extends ZincError {
  readonly code = 'USER_NOT_MAPPED';
  override readonly kind = 'denied';
  constructor(readonly user: string, readonly domain: string, readonly host: string) {
    super(`host ${host} has no account for user ${user} of domain ${domain}`, {
      hint: `Ask ${host}'s operator to map it in userMap (e.g. "userMap": {"${domain}": {"${user}": "LOCAL_USER"}}; see docs/security.md)`,
      context: { user, domain, host },
    });
  }
}

/** A TLS file given to zincd (--tls-ca, --tls-cert, --tls-key) is missing, malformed or does not fit. */
export class TlsConfigError extends ZincError {
  readonly code = 'TLS_CONFIG';
  override readonly kind = 'invalid';
  constructor(readonly setting: string, readonly file: string, detail: string, hint: string) {
    super(`${setting} ${file}: ${detail}`, { hint, context: { setting, file } });
  }
}

/** The peer listener would accept plaintext from the network. */
export class TlsRequiredError extends ZincError {
  readonly code = 'TLS_REQUIRED';
  override readonly kind = 'invalid';
  constructor(readonly listen: string) {
    super(`refusing to listen on ${listen} without TLS`, {
      hint: 'Create certificates (zinc tls ca create --domain D; zinc tls cert create --domain D --host H --ip ADDR) and pass --tls-ca, --tls-cert, --tls-key; or pass --insecure on a network you trust (see docs/security.md)',
      context: { listen },
    });
  }
}

/** A peer's certificate does not prove the host id and domain its gossip record claims. */
export class PeerIdentityError extends ZincError {
  readonly code = 'PEER_IDENTITY';
  override readonly kind = 'refused';
  constructor(readonly host: string, readonly address: string, readonly detail: string) {
    super(`${address} did not prove it is host ${host}: ${detail}`, {
      hint: `Nothing was sent to it. If ${host} moved or got a new certificate, check its --tls-cert (zinc://DOMAIN/HOST) and that its domain's CA is in this host's --tls-ca`,
      context: { host, address, detail },
    });
  }
}

/** `zinc tls … create` would overwrite a file. */
export class PkiFileExistsError extends ZincError {
  readonly code = 'PKI_FILE_EXISTS';
  override readonly kind = 'conflict';
  constructor(readonly file: string) {
    super(`${file} already exists`, { hint: 'Nothing was written. Move it away, choose another --dir, or pass --force to replace it', context: { file } });
  }
}

/** `zinc tls cert create` cannot find or read the domain's CA. */
export class PkiCaMissingError extends ZincError {
  readonly code = 'PKI_CA_MISSING';
  override readonly kind = 'not_found';
  constructor(readonly file: string, readonly domain: string, detail: string) {
    super(`cannot read the CA of domain ${domain} at ${file}: ${detail}`, {
      hint: `Create it with \`zinc tls ca create --domain ${domain}\`, or point --ca-dir at the directory that holds ${domain}-ca.pem and ${domain}-ca-key.pem`,
      context: { file, domain },
    });
  }
}

/** The host's domain trust policy does not allow this domain for this (docs/security.md). */
export class DomainRefusedError extends ZincError {
  readonly code = 'DOMAIN_REFUSED';
  override readonly kind = 'refused';
  constructor(readonly host: string, readonly domain: string, readonly what: string, readonly setting: string) {
    super(`${host} does not ${what} domain ${domain}`, {
      hint: `Its administrator can add ${domain} to ${setting} in ${host}'s zincd config; nothing was changed, and the job stays where it was`,
      context: { host, domain, setting },
    });
  }
}
