/**
 * zincd's transport at start: plaintext only on loopback (or with --insecure, warned about), TLS
 * files checked with one clear line each, mutual TLS between two real daemons, and SIGHUP reloading
 * the certificates.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, createHostCert, type PemPair } from '../../daemon/security/pki.js';
import { caCertFile, hostCertFile, hostKeyFile, writePemPair } from '../../daemon/security/pki-files.js';
import { run, TestGrid, waitUntil } from '../helpers/daemon.js';
import { missing, titled, ZINCD } from '../helpers/env.js';

const skip = missing({ root: true, build: true });

describe.skipIf(skip)(titled('zincd transport security at start', skip), () => {
  let dir: string;
  let grid: TestGrid;
  let ca: PemPair;

  const tlsFlags = (host: string) => ['--tls-ca', caCertFile(dir, 'd1'), '--tls-cert', hostCertFile(dir, 'd1', host), '--tls-key', hostKeyFile(dir, 'd1', host)];
  const zincd = (args: string[]) => run(process.execPath, [ZINCD, '--host-id', 'h1', '--domain', 'd1', '--state-dir', join(dir, 'state'), '--cgroup-parent', `${grid.cgroupRoot}/x`, ...args], { timeoutMs: 20_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zinc-tls-start-'));
    grid = new TestGrid();
    ca = await createCa('d1', 30);
    writePemPair(ca, caCertFile(dir, 'd1'), join(dir, 'd1-ca-key.pem'), dir, false);
    for (const h of ['h1', 'h2']) {
      const c = await createHostCert(ca, { domain: 'd1', host: h, ips: ['127.0.0.1'], dns: [], days: 30 });
      writePemPair(c, hostCertFile(dir, 'd1', h), hostKeyFile(dir, 'd1', h), dir, false);
    }
  });
  afterAll(async () => {
    await grid?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a plaintext listener on a non-loopback address, in one line that says how to make certificates', async () => {
    // Refused before binding: the address need not exist here.
    const r = await zincd(['--listen', '192.0.2.1:7070']);
    expect(r.code).toBe(2);
    // Besides pino's JSON log lines, one line for the operator.
    const human = r.stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
    expect(human).toHaveLength(1);
    expect(human[0]).toMatch(/^zincd: refusing to listen on 192\.0\.2\.1:7070 without TLS\. Create certificates \(zinc tls ca create/);
  });

  it('refuses bad TLS files with the file and what to do', async () => {
    const r = await zincd(['--listen', '127.0.0.1:0', ...tlsFlags('h2')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tls-cert .*d1-h2\.pem: is for zinc:\/\/d1\/h2, but this host is zinc:\/\/d1\/h1/);
    const half = await zincd(['--listen', '127.0.0.1:0', '--tls-ca', caCertFile(dir, 'd1')]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/give all three of tlsCa, tlsCert and tlsKey/);
  });

  it('with --insecure on a non-loopback address, starts and warns (in a network namespace of its own)', async () => {
    const r = await run('unshare', ['--net', 'sh', '-c', `ip link set lo up; timeout -s TERM 3 "${process.execPath}" "${ZINCD}" --host-id h1 --domain d1 --state-dir "${join(dir, 'state-insecure')}" --cgroup-parent ${grid.cgroupRoot}/y --listen 0.0.0.0:0 --advertise 127.0.0.1:7070 --insecure`], { timeoutMs: 20_000 });
    expect(r.stderr).toMatch(/"level":40.*INSECURE: peer listener without TLS/);
    expect(r.stderr).toContain('zincd ready');
  });

  it('two daemons gossip over mutual TLS; SIGHUP reloads the files, and a bad file keeps the old ones', async () => {
    const a = await grid.add({ hostId: 'h1', domain: 'd1', extraArgs: tlsFlags('h1') });
    const b = await grid.add({ hostId: 'h2', domain: 'd1', peers: [a.address], extraArgs: tlsFlags('h2') });
    expect(a.log()).toContain('mutual TLS on the peer listener');
    await waitUntil('each knows the other', async () => (await a.json<unknown[]>(['hosts'])).length === 2 && (await b.json<unknown[]>(['hosts'])).length === 2, 15_000);
    const gpid = await a.ok(['submit', '--host', 'h2', '--', 'sleep', '60']);
    expect(await b.ok(['ps'])).toContain(gpid);

    // Rotation: a new certificate for h1 in place, then SIGHUP.
    const fresh = await createHostCert(ca, { domain: 'd1', host: 'h1', ips: ['127.0.0.1'], dns: [], days: 60 });
    writePemPair(fresh, hostCertFile(dir, 'd1', 'h1'), hostKeyFile(dir, 'd1', 'h1'), dir, true);
    process.kill(a.pid ?? 0, 'SIGHUP');
    await waitUntil('reloaded', () => a.log().includes('SIGHUP: TLS files reloaded'));
    expect(await a.ok(['kill', gpid])).toContain(gpid);

    // A broken file: logged, the old files stay in use, and peers still work.
    writeFileSync(hostKeyFile(dir, 'd1', 'h1'), 'garbage');
    process.kill(a.pid ?? 0, 'SIGHUP');
    await waitUntil('refused', () => a.log().includes('SIGHUP: TLS files not reloaded; the previous ones stay in use'));
    const g2 = await a.ok(['submit', '--host', 'h2', '--', 'sleep', '60']);
    await a.ok(['kill', g2]);
  }, 60_000);
});
