/**
 * A host's identity as its certificate states it: the SAN URI `zinc://<domain>/<host>`. Only this
 * URI names a zinc host; the subject CN and DNS names are for humans and TLS hostname checks.
 * Parsing uses node:crypto's X509Certificate (no dependency in the daemon).
 */
import { X509Certificate } from 'node:crypto';
import { NAME_RE } from '../config/schema.js';

export interface PeerIdentity {
  host: string;
  domain: string;
}

export function identityUri(id: PeerIdentity): string {
  return `zinc://${id.domain}/${id.host}`;
}

/** The zinc identity in a certificate's SANs; undefined if it has none or more than one. */
export function identityOfCertificate(cert: X509Certificate | Buffer): PeerIdentity | undefined {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  const found: PeerIdentity[] = [];
  for (const entry of splitSubjectAltName(x.subjectAltName ?? '')) {
    if (!entry.startsWith('URI:')) continue;
    const m = /^zinc:\/\/([^/]+)\/([^/]+)$/.exec(entry.slice(4));
    if (m && NAME_RE.test(m[1] ?? '') && NAME_RE.test(m[2] ?? '')) found.push({ domain: m[1] ?? '', host: m[2] ?? '' });
  }
  return found.length === 1 ? found[0] : undefined;
}

/** node renders SANs as `DNS:a, URI:b, IP Address:c`; values that contain ", " are quoted. */
function splitSubjectAltName(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === ',' && s[i + 1] === ' ') {
      out.push(cur.replace(/"/g, ''));
      cur = '';
      i++;
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur.replace(/"/g, ''));
  return out;
}
