/**
 * Makes a domain's CA and its hosts' certificates (ECDSA P-256), with @peculiar/x509 on WebCrypto.
 * Only `zinc tls` and the lab load this module (it pulls in an X.509 library and a reflect
 * polyfill); zincd itself only verifies, with node:crypto (trust.ts).
 *
 * A CA names its domain in a SAN URI `zinc://DOMAIN`; a host certificate names its host in
 * `zinc://DOMAIN/HOST` (peer-identity.ts). zincd accepts a host identity only from the CA of the
 * same domain, so one domain's CA cannot mint hosts of another.
 */
import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { identityUri } from './peer-identity.js';
import { caUri } from './trust.js';

type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type Key = webcrypto.CryptoKey;
type KeyPair = webcrypto.CryptoKeyPair;
type SigningKey = Parameters<typeof x509.X509CertificateGenerator.create>[0] extends infer P ? (P extends { signingKey: infer K } ? K : never) : never;
type SelfSignedKeys = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** Tolerates small clock differences between the host that signs and the hosts that verify. */
const BACKDATE_MS = 5 * 60_000;

export interface PemPair {
  cert: string;
  key: string;
}

export interface HostCertRequest {
  domain: string;
  host: string;
  ips: readonly string[];
  dns: readonly string[];
  days: number;
}

function serial(): string {
  // Positive 16-byte serial: the top bit cleared so DER does not read it as negative.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

async function exportKey(key: Key): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return withNewline(x509.PemConverter.encode(der, 'PRIVATE KEY'));
}

/** PEM files end with a newline, so that `cat a.pem b.pem > bundle.pem` stays valid PEM. */
function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** A new self-signed CA for `domain`: CA:true, pathlen 0, keyCertSign + cRLSign. */
export async function createCa(domain: string, days: number): Promise<PemPair> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=zinc CA ${domain}, O=${domain}`,
    ...validity(days),
    signingAlgorithm: ALG,
    keys: keys as unknown as SelfSignedKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: caUri(domain) }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as SelfSignedKeys['publicKey']),
    ],
  });
  return { cert: withNewline(cert.toString('pem')), key: await exportKey(keys.privateKey) };
}

/** A host certificate signed by `ca`, for both ends of a TLS connection (server and client auth). */
export async function createHostCert(ca: PemPair, req: HostCertRequest): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caDer = createPrivateKey(ca.key).export({ format: 'der', type: 'pkcs8' });
  const caKey = await webcrypto.subtle.importKey('pkcs8', caDer, ALG, false, ['sign']);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const names: { type: 'url' | 'ip' | 'dns'; value: string }[] = [{ type: 'url', value: identityUri({ host: req.host, domain: req.domain }) }];
  for (const ip of req.ips) names.push({ type: 'ip', value: ip });
  for (const dns of req.dns) names.push({ type: 'dns', value: dns });
  // A host certificate outliving its CA would fail verification anyway; say so in the certificate.
  const { notBefore, notAfter } = validity(req.days);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${req.host}, O=${req.domain}`,
    issuer: caCert.subject,
    notBefore,
    notAfter: notAfter > caCert.notAfter ? caCert.notAfter : notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey as unknown as SelfSignedKeys['publicKey'],
    signingKey: caKey as unknown as SigningKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as SelfSignedKeys['publicKey']),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: withNewline(cert.toString('pem')), key: await exportKey(keys.privateKey) };
}
