/**
 * zincd's TLS files (--tls-ca, --tls-cert, --tls-key), read and checked at start and on SIGHUP, so
 * that a mistake is one clear line at start rather than every peer refusing every handshake.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TlsConfigError } from './errors.js';
import { identityOfCertificate, identityUri, type PeerIdentity } from './peer-identity.js';
import { caDomainOf, countPemMarkers, splitPemCertificates, TrustBundle, type TrustedCa } from './trust.js';

export interface TlsPaths {
  ca: string;
  cert: string;
  key: string;
}

export interface TlsMaterial {
  paths: TlsPaths;
  /** PEM bytes as node:tls and grpc-js take them. */
  caPem: Buffer;
  certPem: Buffer;
  keyPem: Buffer;
  trust: TrustBundle;
  identity: PeerIdentity;
  notAfter: string;
}

const CREATE_HINT = 'Create them with `zinc tls ca create --domain D` and `zinc tls cert create --domain D --host H --ip ADDR` (docs/security.md)';

function read(setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TlsConfigError(setting, file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, CREATE_HINT);
  }
}

function parseCas(file: string, pem: Buffer): TrustedCa[] {
  const text = pem.toString('utf8');
  const blocks = splitPemCertificates(text);
  if (blocks.length > 0 && blocks.length !== countPemMarkers(text)) {
    throw new TlsConfigError('--tls-ca', file, `has ${countPemMarkers(text)} BEGIN CERTIFICATE markers but only ${blocks.length} well-formed certificates (a file concatenated without a newline?)`, 'Each -----BEGIN/END CERTIFICATE----- line must be on its own line');
  }
  if (blocks.length === 0) throw new TlsConfigError('--tls-ca', file, 'no PEM certificate in it', `Give the CA bundle: the PEM files of your domain's CA and of each trusted domain's CA, concatenated. ${CREATE_HINT}`);
  return blocks.map((b, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(b);
    } catch (err) {
      throw new TlsConfigError('--tls-ca', file, `certificate ${i + 1} is not valid PEM (${(err as Error).message})`, 'Replace it with the CA file zinc tls ca create wrote');
    }
    const domain = caDomainOf(cert);
    if (!cert.ca || !domain) {
      throw new TlsConfigError('--tls-ca', file, `certificate ${i + 1} (${cert.subject.replace(/\n/g, ', ')}) is not a zinc CA (CA:true and a zinc://DOMAIN name)`, 'Put only CA files made by zinc tls ca create in the bundle (not host certificates)');
    }
    return { domain, cert };
  });
}

/** Reads and checks the three files for host `hostId` of `domain`; throws TlsConfigError. */
export function loadTlsMaterial(paths: TlsPaths, hostId: string, domain: string, now = Date.now()): TlsMaterial {
  const caPem = read('--tls-ca', paths.ca);
  const certPem = read('--tls-cert', paths.cert);
  const keyPem = read('--tls-key', paths.key);
  const trust = new TrustBundle(parseCas(paths.ca, caPem));
  if (!trust.trusts(domain)) {
    throw new TlsConfigError('--tls-ca', paths.ca, `has no CA of this host's domain ${domain} (it has: ${trust.domains.join(', ')})`, `Add ${domain}-ca.pem to the bundle; without it this host cannot verify its own domain's peers`);
  }
  const first = splitPemCertificates(certPem.toString('utf8'))[0];
  let cert: X509Certificate;
  try {
    if (!first) throw new Error('no PEM certificate in it');
    cert = new X509Certificate(first);
  } catch (err) {
    throw new TlsConfigError('--tls-cert', paths.cert, `not a PEM certificate (${(err as Error).message})`, CREATE_HINT);
  }
  const identity = identityOfCertificate(cert);
  if (!identity) throw new TlsConfigError('--tls-cert', paths.cert, 'has no single zinc://DOMAIN/HOST identity', `Make a host certificate with zinc tls cert create --domain ${domain} --host ${hostId}`);
  if (identity.host !== hostId || identity.domain !== domain) {
    throw new TlsConfigError('--tls-cert', paths.cert, `is for ${identityUri(identity)}, but this host is ${identityUri({ host: hostId, domain })}`, `Use this host's own certificate, or fix --host-id/--domain; zinc tls cert create --domain ${domain} --host ${hostId} makes one`);
  }
  if (now < Date.parse(cert.validFrom)) throw new TlsConfigError('--tls-cert', paths.cert, `is not valid before ${cert.validFrom}`, 'Check this host\'s clock, or make a new certificate');
  if (now > Date.parse(cert.validTo)) throw new TlsConfigError('--tls-cert', paths.cert, `expired on ${cert.validTo}`, `Make a new one with zinc tls cert create --domain ${domain} --host ${hostId}, then SIGHUP zincd`);
  const issuer = trust.issuerOf(cert);
  if (!issuer) throw new TlsConfigError('--tls-cert', paths.cert, `is not signed by any CA in ${paths.ca}`, `Sign it with your domain's CA (zinc tls cert create --ca-dir DIR), or add that CA to --tls-ca`);
  if (issuer.domain !== domain) throw new TlsConfigError('--tls-cert', paths.cert, `is signed by the CA of domain ${issuer.domain}, not of ${domain}`, `Sign it with the CA of ${domain}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new TlsConfigError('--tls-key', paths.key, `not a PEM private key (${(err as Error).message})`, CREATE_HINT);
  }
  if (!cert.checkPrivateKey(key)) {
    throw new TlsConfigError('--tls-key', paths.key, `does not match the certificate ${paths.cert}`, 'Give the -key.pem file written together with this certificate');
  }
  return { paths, caPem, certPem, keyPem, trust, identity, notAfter: cert.validTo };
}
