/**
 * Where `zinc tls` and the lab put a domain's PKI files, and how they are written: private keys
 * 0600, certificates 0644, nothing overwritten unless asked. No X.509 library here.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PkiCaMissingError, PkiFileExistsError } from './errors.js';
import type { PemPair } from './pki.js';

export const caCertFile = (dir: string, domain: string): string => join(dir, `${domain}-ca.pem`);
export const caKeyFile = (dir: string, domain: string): string => join(dir, `${domain}-ca-key.pem`);
export const hostCertFile = (dir: string, domain: string, host: string): string => join(dir, `${domain}-${host}.pem`);
export const hostKeyFile = (dir: string, domain: string, host: string): string => join(dir, `${domain}-${host}-key.pem`);

/** Writes a certificate and its key; checks both paths first so that nothing is half written. */
export function writePemPair(pair: PemPair, certPath: string, keyPath: string, dir: string, force: boolean): void {
  if (!force) for (const f of [certPath, keyPath]) if (existsSync(f)) throw new PkiFileExistsError(f);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeFileSync(keyPath, pair.key, { mode: 0o600 });
  // mode applies only when the file is created; a --force rewrite must not keep looser bits.
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, pair.cert, { mode: 0o644 });
  chmodSync(certPath, 0o644);
}

export function readCa(dir: string, domain: string): PemPair {
  const certPath = caCertFile(dir, domain);
  const keyPath = caKeyFile(dir, domain);
  const read = (f: string): string => {
    try {
      return readFileSync(f, 'utf8');
    } catch (err) {
      throw new PkiCaMissingError(f, domain, (err as NodeJS.ErrnoException).code ?? String(err));
    }
  };
  return { cert: read(certPath), key: read(keyPath) };
}
