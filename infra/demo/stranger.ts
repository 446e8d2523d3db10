/**
 * The demo's stranger: a zincd started inside a lab host with a certificate from its own CA, which
 * no lab domain trusts, told to join the grid. It never gets in, and the host it knocks on logs why.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { createCa, createHostCert } from '../../daemon/security/pki.js';
import { caCertFile, hostCertFile, hostKeyFile, writePemPair } from '../../daemon/security/pki-files.js';

const PORT = 7071;

/** Runs the stranger from `from` against `target` for `ms`; returns the target's refusal log lines. */
export async function strangerKnocks(lab: Lab, zincd: string, from: string, target: string, ms: number): Promise<string[]> {
  const dir = mkdtempSync(join(lab.labDir, 'stranger-'));
  try {
    const h = lab.host(from);
    const ca = await createCa('mallory', 1);
    writePemPair(ca, caCertFile(dir, 'mallory'), join(dir, 'mallory-ca-key.pem'), dir, false);
    const cert = await createHostCert(ca, { domain: 'mallory', host: 'stranger', ips: [h.address], dns: [], days: 1 });
    writePemPair(cert, hostCertFile(dir, 'mallory', 'stranger'), hostKeyFile(dir, 'mallory', 'stranger'), dir, false);
    const args = [
      '--host-id', 'stranger', '--domain', 'mallory', '--state-dir', join(dir, 'state'), '--socket', join(dir, 's.sock'),
      '--listen', `${h.address}:${PORT}`, '--peers', lab.host(target).listen, '--cgroup-parent', `zinc-lab/${lab.name}/stranger`,
      '--tls-ca', caCertFile(dir, 'mallory'), '--tls-cert', hostCertFile(dir, 'mallory', 'stranger'), '--tls-key', hostKeyFile(dir, 'mallory', 'stranger'),
    ];
    const before = readFileSync(lab.host(target).daemonLog, 'utf8').length;
    const child = lab.spawn(from, [process.execPath, zincd, ...args], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, ms));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
    return readFileSync(lab.host(target).daemonLog, 'utf8')
      .slice(before)
      .split('\n')
      .filter((l) => l.includes('peer connection refused'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

