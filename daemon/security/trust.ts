/**
 * The CAs this host trusts (its own domain's and those of the domains it trusts), and the rule a
 * peer certificate must pass beyond the TLS chain check: its `zinc://DOMAIN/HOST` identity must be
 * signed by the CA of that same DOMAIN. TLS alone would accept a host of domain B minted by the CA
 * of domain A, because both CAs are in the bundle; this check is what makes a domain's CA
 * authoritative for its own domain only. node:crypto only (zincd does not load an X.509 library).
 */
import { X509Certificate } from 'node:crypto';
import { NAME_RE } from '../config/schema.js';
import { identityOfCertificate, type PeerIdentity } from './peer-identity.js';

export function caUri(domain: string): string {
  return `zinc://${domain}`;
}

/** The domain a CA certificate speaks for (SAN URI `zinc://DOMAIN`), or undefined. */
export function caDomainOf(ca: X509Certificate): string | undefined {
  const uris = (ca.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('URI:zinc://'));
  const domains = uris.map((u) => u.slice('URI:zinc://'.length)).filter((d) => NAME_RE.test(d));
  return domains.length === 1 ? domains[0] : undefined;
}

const PEM_CERT_RE = /^-----BEGIN CERTIFICATE-----\r?$[\s\S]+?^-----END CERTIFICATE-----\r?$/gm;

/** The certificates of a PEM file, each on its own lines (as OpenSSL, and so node:tls, reads them). */
export function splitPemCertificates(pem: string): string[] {
  return pem.match(PEM_CERT_RE) ?? [];
}

/** How many BEGIN CERTIFICATE markers a file has, well-formed or not. */
export function countPemMarkers(pem: string): number {
  return pem.split('-----BEGIN CERTIFICATE-----').length - 1;
}

export interface TrustedCa {
  domain: string;
  cert: X509Certificate;
}

export type PeerVerdict = { ok: true; identity: PeerIdentity } | { ok: false; reason: string };

/** Verdicts are cached per certificate: a peer presents the same one on every connection. */
const CACHE_MAX = 1024;

export class TrustBundle {
  private readonly cache = new Map<string, { verdict: PeerVerdict; until: number }>();

  constructor(readonly cas: readonly TrustedCa[]) {}

  get domains(): string[] {
    return [...new Set(this.cas.map((c) => c.domain))];
  }

  trusts(domain: string): boolean {
    return this.cas.some((c) => c.domain === domain);
  }

  /** The CA in the bundle that signed `cert`, if any. */
  issuerOf(cert: X509Certificate): TrustedCa | undefined {
    return this.cas.find((ca) => cert.checkIssued(ca.cert) && cert.verify(ca.cert.publicKey));
  }

  /** Does a (TLS-verified) peer certificate prove a zinc identity, signed by its own domain's CA? */
  verifyPeer(raw: Buffer, now = Date.now()): PeerVerdict {
    const key = raw.toString('base64');
    const cached = this.cache.get(key);
    if (cached && now < cached.until) return cached.verdict;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(raw);
    } catch {
      return { ok: false, reason: 'unparsable certificate' };
    }
    const verdict = this.judge(cert, now);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    // A good verdict holds until the certificate expires; a bad one is judged again next time.
    this.cache.set(key, { verdict, until: verdict.ok ? Date.parse(cert.validTo) : 0 });
    return verdict;
  }

  private judge(cert: X509Certificate, now: number): PeerVerdict {
    const identity = identityOfCertificate(cert);
    if (!identity) return { ok: false, reason: 'certificate has no single zinc://DOMAIN/HOST identity' };
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return { ok: false, reason: `certificate of ${identity.host} is not valid now (${cert.validFrom} to ${cert.validTo})` };
    const issuer = this.issuerOf(cert);
    if (!issuer) return { ok: false, reason: `certificate of ${identity.host} is not signed by a CA in the bundle` };
    if (issuer.domain !== identity.domain) {
      return { ok: false, reason: `certificate claims domain ${identity.domain} but was signed by the CA of domain ${issuer.domain}` };
    }
    return { ok: true, identity };
  }
}
