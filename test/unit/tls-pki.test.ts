/** The PKI `zinc tls` makes, and what zincd checks in its TLS files and in peer certificates. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PkiFileExistsError, TlsConfigError } from '../../daemon/security/errors.js';
import { identityOfCertificate } from '../../daemon/security/peer-identity.js';
import { createCa, createHostCert, type PemPair } from '../../daemon/security/pki.js';
import { caCertFile, hostCertFile, hostKeyFile, writePemPair } from '../../daemon/security/pki-files.js';
import { loadTlsMaterial, type TlsPaths } from '../../daemon/security/tls-files.js';
import { caDomainOf, TrustBundle } from '../../daemon/security/trust.js';
import { X509Certificate } from 'node:crypto';

describe('zinc tls: a CA per domain, host certificates, and what zincd accepts', () => {
  let dir: string;
  let d1: PemPair;
  let d2: PemPair;
  let h1: PemPair;
  let paths: TlsPaths;

  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const refusal = (p: Partial<TlsPaths>, host = 'h1', domain = 'd1', now?: number): string => {
    try {
      loadTlsMaterial({ ...paths, ...p }, host, domain, now);
    } catch (err) {
      expect(err).toBeInstanceOf(TlsConfigError);
      return (err as TlsConfigError).toUserLine();
    }
    throw new Error('accepted');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zinc-tls-'));
    d1 = await createCa('d1', 30);
    d2 = await createCa('d2', 30);
    h1 = await createHostCert(d1, { domain: 'd1', host: 'h1', ips: ['198.18.1.1'], dns: ['h1.example.org'], days: 30 });
    writePemPair(d1, caCertFile(dir, 'd1'), join(dir, 'd1-ca-key.pem'), dir, false);
    writePemPair(h1, hostCertFile(dir, 'd1', 'h1'), hostKeyFile(dir, 'd1', 'h1'), dir, false);
    paths = { ca: file('bundle.pem', d1.cert + d2.cert), cert: hostCertFile(dir, 'd1', 'h1'), key: hostKeyFile(dir, 'd1', 'h1') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a CA is CA:true with pathlen 0 and names its domain; a host certificate names zinc://D/H, its addresses, and both TLS uses', () => {
    const ca = new X509Certificate(d1.cert);
    expect(ca.ca).toBe(true);
    expect(caDomainOf(ca)).toBe('d1');
    const x = new X509Certificate(h1.cert);
    expect(x.ca).toBe(false);
    expect(identityOfCertificate(x)).toEqual({ host: 'h1', domain: 'd1' });
    expect(x.subjectAltName).toContain('IP Address:198.18.1.1');
    expect(x.subjectAltName).toContain('DNS:h1.example.org');
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(x.checkIssued(ca) && x.verify(ca.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('keys are written 0600, certificates 0644, and nothing is overwritten without --force', () => {
    expect(statSync(hostKeyFile(dir, 'd1', 'h1')).mode & 0o777).toBe(0o600);
    expect(statSync(hostCertFile(dir, 'd1', 'h1')).mode & 0o777).toBe(0o644);
    expect(() => writePemPair(h1, hostCertFile(dir, 'd1', 'h1'), hostKeyFile(dir, 'd1', 'h1'), dir, false)).toThrow(PkiFileExistsError);
    writePemPair(h1, hostCertFile(dir, 'd1', 'h1'), hostKeyFile(dir, 'd1', 'h1'), dir, true);
  });

  it('zincd accepts matching files and knows which domains it trusts', () => {
    const m = loadTlsMaterial(paths, 'h1', 'd1');
    expect(m.identity).toEqual({ host: 'h1', domain: 'd1' });
    expect(m.trust.domains).toEqual(['d1', 'd2']);
  });

  it('zincd refuses bad TLS files at start, each with what to do', async () => {
    expect(refusal({ cert: join(dir, 'nope.pem') })).toMatch(/--tls-cert .*nope\.pem: cannot read it \(ENOENT\)\. Create them with `zinc tls ca create/);
    expect(refusal({ ca: file('junk.pem', 'hello') })).toMatch(/--tls-ca .*: no PEM certificate in it/);
    expect(refusal({ ca: file('glued.pem', d1.cert.trimEnd() + d2.cert) })).toMatch(/without a newline/);
    expect(refusal({ ca: file('hostcert.pem', h1.cert) })).toMatch(/is not a zinc CA/);
    expect(refusal({ ca: file('only-d2.pem', d2.cert) })).toMatch(/has no CA of this host's domain d1/);
    expect(refusal({}, 'h2')).toMatch(/is for zinc:\/\/d1\/h1, but this host is zinc:\/\/d1\/h2/);
    expect(refusal({ cert: file('notpem.pem', 'x'), key: paths.key })).toMatch(/--tls-cert .*: not a PEM certificate/);
    const other = await createHostCert(d2, { domain: 'd1', host: 'h1', ips: [], dns: [], days: 30 });
    expect(refusal({ cert: file('other.pem', other.cert) })).toMatch(/signed by the CA of domain d2, not of d1/);
    const foreign = await createCa('d1', 30);
    const stranger = await createHostCert(foreign, { domain: 'd1', host: 'h1', ips: [], dns: [], days: 30 });
    expect(refusal({ cert: file('stranger.pem', stranger.cert) })).toMatch(/is not signed by any CA in/);
    expect(refusal({ key: file('wrongkey.pem', stranger.key) })).toMatch(/--tls-key .*: does not match the certificate/);
    expect(refusal({ key: file('nokey.pem', 'x') })).toMatch(/--tls-key .*: not a PEM private key/);
    expect(refusal({}, 'h1', 'd1', Date.now() + 40 * 86_400_000)).toMatch(/expired on .*SIGHUP zincd/);
  });

  it('a peer certificate counts only if its own domain\'s CA signed it', async () => {
    const trust = new TrustBundle([
      { domain: 'd1', cert: new X509Certificate(d1.cert) },
      { domain: 'd2', cert: new X509Certificate(d2.cert) },
    ]);
    expect(trust.verifyPeer(new X509Certificate(h1.cert).raw)).toEqual({ ok: true, identity: { host: 'h1', domain: 'd1' } });
    const forged = await createHostCert(d2, { domain: 'd1', host: 'h9', ips: [], dns: [], days: 30 });
    expect(trust.verifyPeer(new X509Certificate(forged.cert).raw)).toEqual({ ok: false, reason: 'certificate claims domain d1 but was signed by the CA of domain d2' });
    const foreign = await createCa('d1', 30);
    const stranger = await createHostCert(foreign, { domain: 'd1', host: 'h1', ips: [], dns: [], days: 30 });
    expect(trust.verifyPeer(new X509Certificate(stranger.cert).raw).ok).toBe(false);
    expect(trust.verifyPeer(new X509Certificate(d1.cert).raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/no single zinc/) });
  });

  it('the files zinc tls wrote are what openssl-compatible tools read (one PEM block per file, newline-terminated)', () => {
    const text = readFileSync(paths.ca, 'utf8');
    expect(text.match(/-----BEGIN CERTIFICATE-----\n/g)?.length).toBe(2);
    expect(d1.cert.endsWith('\n') && h1.key.endsWith('\n')).toBe(true);
  });
});
