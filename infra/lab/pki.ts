/**
 * The lab's PKI, made at `up` like an operator would (docs/security.md): one CA per domain, one
 * certificate per host naming `zinc://DOMAIN/HOST` and the host's lab address, and one CA bundle
 * with every lab domain's CA (so every domain trusts every other and cross-domain migration works).
 * Everything lives in <labDir>/pki (0700; keys 0600) and goes with the lab on `down`.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caCertFile, caKeyFile, hostCertFile, hostKeyFile, writePemPair } from '../../daemon/security/pki-files.js';
import type { PemPair } from '../../daemon/security/pki.js';

export const pkiDir = (labDir: string): string => join(labDir, 'pki');
export const bundleFile = (pki: string): string => join(pki, 'bundle.pem');

export interface PkiHost {
  id: string;
  domain: string;
  address: string;
}

/** zincd's TLS flags for a lab host. */
export function tlsArgs(pki: string, h: { id: string; domain: string }): string[] {
  return ['--tls-ca', bundleFile(pki), '--tls-cert', hostCertFile(pki, h.domain, h.id), '--tls-key', hostKeyFile(pki, h.domain, h.id)];
}

/** Creates the CAs, host certificates and bundle (the X.509 library is loaded only here). */
export async function createLabPki(pki: string, domains: readonly string[], hosts: readonly PkiHost[]): Promise<void> {
  const { createCa, createHostCert } = await import('../../daemon/security/pki.js');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  chmodSync(pki, 0o700);
  const cas = new Map<string, PemPair>();
  for (const d of domains) {
    const ca = await createCa(d, 30);
    writePemPair(ca, caCertFile(pki, d), caKeyFile(pki, d), pki, true);
    cas.set(d, ca);
  }
  writeFileSync(bundleFile(pki), [...cas.values()].map((c) => c.cert).join(''), { mode: 0o644 });
  for (const h of hosts) {
    const ca = cas.get(h.domain);
    if (!ca) throw new Error(`no CA for domain ${h.domain}`);
    const cert = await createHostCert(ca, { domain: h.domain, host: h.id, ips: [h.address], dns: [], days: 30 });
    writePemPair(cert, hostCertFile(pki, h.domain, h.id), hostKeyFile(pki, h.domain, h.id), pki, true);
  }
}
