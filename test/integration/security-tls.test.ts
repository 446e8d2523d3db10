/**
 * Issue 10, sections 1, 2 and 7: mutual TLS between daemons on the real netns lab (which creates a
 * CA per domain and a certificate per host by default). Strangers (no certificate, an untrusted
 * CA, or a host certificate minted by the wrong domain's CA) get nothing into any host; a trusted
 * domain that is not accepted for migration is refused and the job stays; forged gossip from an
 * insider is dropped or cannot attract work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { waitUntil } from '../helpers/daemon.js';
import { missing, ROOT, titled, ZINC, ZINCD } from '../helpers/env.js';
import { keepLabLogs, upLab, zincJson, zincOk, type Lab } from '../helpers/lab.js';
import { rawPeer, type RawCall, type RawResult } from '../helpers/raw-peer.js';

const skip = missing({ root: true, criu: true });
const UNAVAILABLE = 14;

interface HostJson {
  record: { host: string; domain: string; address: string };
}
interface JobJson {
  gpid: string;
  state: string;
  host: string;
}

describe.skipIf(skip)(titled('mutual TLS between daemons on the lab', skip), () => {
  let lab: Lab;
  let dir: string;
  const A = 'd1-h1';
  const A2 = 'd1-h2';
  const B = 'd2-h1';
  const C = 'd3-h1';
  const addr = (h: string) => `${lab.host(h).address}:7070`;
  const zinc = (...args: string[]) => spawnZinc(args);

  beforeAll(async () => {
    // d3 holds valid certificates (its CA is in every bundle) but d1 and d2 accept neither its jobs
    // nor its migrations.
    lab = await upLab({ name: 'sectls', domains: 3, hosts: 4, wanDelayMs: 5, daemonArgs: ['--accept-domains', 'd1,d2', '--gossip-interval', '500ms'] });
    dir = mkdtempSync('/tmp/zinc-sectls-');
    await waitUntil('every host knows every other', async () => (await zincJson<HostJson[]>(lab, A, ['hosts'])).length === 4, 30_000);
    const pki = lab.pkiDir;
    if (!pki) throw new Error('the lab runs without TLS');
    // A stranger's CA that calls itself d1, and a certificate from it impersonating d1-h2.
    await zinc('tls', 'ca', 'create', '--domain', 'd1', '--dir', join(dir, 'stranger'));
    await zinc('tls', 'cert', 'create', '--domain', 'd1', '--host', A2, '--ip', lab.host(A2).address, '--ca-dir', join(dir, 'stranger'), '--dir', join(dir, 'stranger'));
    // d3's real CA minting a certificate that claims to be d1-h2 (one domain vouching for another's
    // host): d3's CA files under d1's names, so that `zinc tls cert create --domain d1` signs with them.
    const forgedCa = join(dir, 'forgedca');
    mkdirSync(forgedCa, { mode: 0o700 });
    copyFileSync(join(pki, 'd3-ca.pem'), join(forgedCa, 'd1-ca.pem'));
    copyFileSync(join(pki, 'd3-ca-key.pem'), join(forgedCa, 'd1-ca-key.pem'));
    await zinc('tls', 'cert', 'create', '--domain', 'd1', '--host', A2, '--ca-dir', forgedCa, '--dir', join(dir, 'crossdomain'));
    // An insider: a valid host certificate of trusted domain d3.
    await zinc('tls', 'cert', 'create', '--domain', 'd3', '--host', 'evil', '--ca-dir', pki, '--dir', join(dir, 'insider'));
  }, 180_000);

  afterAll(async () => {
    await lab?.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const everyPeerRpc = (fromHost: string, fromDomain: string): RawCall[] => [
    { rpc: 'hello' },
    { rpc: 'submit', host: A },
    { rpc: 'submit', host: A, gpid: `${A2}.999` },
    { rpc: 'push', fromHost, records: [{ host: fromHost, domain: fromDomain, address: `${lab.host(A2).address}:7070`, memFreeBytes: 1e15, cores: 64, speed: 100 }] },
    { rpc: 'offer', fromHost, fromDomain, fromAddress: `${lab.host(A2).address}:7070` },
    { rpc: 'report', gpid: `${A}.1` },
  ];

  const expectAllRefused = (results: RawResult[]) => {
    expect(results.length).toBe(6);
    for (const r of results) expect(r, JSON.stringify(r)).toMatchObject({ ok: false, code: UNAVAILABLE });
  };

  it('a peer without a certificate, with one from an untrusted CA, or with one its CA may not issue, gets nothing into any host', async () => {
    onTestFailed(() => console.error(keepLabLogs(lab, 'strangers', [A, B])));
    const before = await zincJson<JobJson[]>(lab, A, ['ps', '-a']);
    const hostsBefore = (await zincJson<HostJson[]>(lab, A, ['hosts'])).map((h) => h.record.host).sort();
    // No certificate at all (plaintext), from d1-h2's own address.
    expectAllRefused(await rawPeer(lab, A2, dir, { target: addr(A), calls: everyPeerRpc(A2, 'd1') }));
    // A certificate naming d1-h2 exactly, from a CA no lab host trusts.
    const stranger = { ca: join(lab.pkiDir ?? '', 'bundle.pem'), cert: join(dir, 'stranger', `d1-${A2}.pem`), key: join(dir, 'stranger', `d1-${A2}-key.pem`) };
    for (const target of [A, B]) expectAllRefused(await rawPeer(lab, A2, dir, { target: addr(target), tls: stranger, calls: everyPeerRpc(A2, 'd1') }));
    // A certificate from a trusted CA (d3's) that claims a host of another domain (zinc://d1/d1-h2).
    const crossDomain = { ca: join(lab.pkiDir ?? '', 'bundle.pem'), cert: join(dir, 'crossdomain', `d1-${A2}.pem`), key: join(dir, 'crossdomain', `d1-${A2}-key.pem`) };
    expectAllRefused(await rawPeer(lab, A2, dir, { target: addr(A), tls: crossDomain, calls: everyPeerRpc(A2, 'd1') }));

    // Each refusal is logged with its reason, and the daemons stay up and unchanged.
    const logA = readFileSync(lab.host(A).daemonLog, 'utf8');
    expect(logA).toMatch(/"remote":"198\.18\.1\.2","reason":"TLS handshake failed[^"]*wrong version number[^"]*".*"msg":"peer connection refused"/);
    expect(logA).toMatch(/"reason":"certificate not accepted: UNABLE_TO_[A-Z_]+ .*"msg":"peer connection refused"/);
    expect(logA).toMatch(/signed by the CA of domain d3.*peer connection refused/);
    expect(readFileSync(lab.host(B).daemonLog, 'utf8')).toContain('peer connection refused');
    expect((await zincJson<JobJson[]>(lab, A, ['ps', '-a'])).length).toBe(before.length);
    expect((await zincJson<HostJson[]>(lab, A, ['hosts'])).map((h) => h.record.host).sort()).toEqual(hostsBefore);
  });

  it('a stranger zincd (certificate from an untrusted CA) cannot join: nobody learns it and it learns nobody', async () => {
    onTestFailed(() => console.error(keepLabLogs(lab, 'stranger-daemon', [A])));
    const sdir = join(dir, 'sd');
    const sock = join(sdir, 's.sock');
    await zinc('tls', 'cert', 'create', '--domain', 'd1', '--host', 'stranger', '--ip', lab.host(A2).address, '--ca-dir', join(dir, 'stranger'), '--dir', sdir);
    const own = join(dir, 'stranger', 'd1-ca.pem');
    const args = ['--host-id', 'stranger', '--domain', 'd1', '--state-dir', sdir, '--socket', sock, '--listen', `${lab.host(A2).address}:7071`, '--peers', addr(A), '--cgroup-parent', `zinc-lab/${lab.name}/stranger`, '--gossip-interval', '300ms', '--tls-ca', own, '--tls-cert', join(sdir, 'd1-stranger.pem'), '--tls-key', join(sdir, 'd1-stranger-key.pem')];
    const d: ChildProcess = lab.spawn(A2, [process.execPath, ZINCD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    d.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    try {
      await waitUntil('stranger ready', () => err.includes('zincd ready'), 30_000);
      await new Promise((r) => setTimeout(r, 3000));
      expect((await zincJson<HostJson[]>(lab, A, ['hosts'])).map((h) => h.record.host)).not.toContain('stranger');
      const seen = JSON.parse(await spawnZinc(['--socket', sock, 'hosts', '--json'])) as HostJson[];
      expect(seen.map((h) => h.record.host)).toEqual(['stranger']);
      expect(err).toMatch(/gossip|peer connection refused|host not reachable|"level":/);
    } finally {
      if (d.pid) process.kill(d.pid, 'SIGTERM');
      await new Promise((r) => d.once('close', r));
    }
  }, 60_000);

  it('a host of a trusted domain that is not accepted for migration is refused with a clear error; the job keeps running at home', async () => {
    onTestFailed(() => console.error(keepLabLogs(lab, 'untrusted-domain', [A, C])));
    const gpid = await zincOk(lab, C, ['submit', '--host', C, '--', 'sleep', '600']);
    const r = await lab.zinc(C, ['migrate', gpid, '--to', A], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/d3/);
    expect(r.stderr).toMatch(/accept|refus/i);
    const job = await zincJson<JobJson>(lab, C, ['show', gpid]);
    expect(job).toMatchObject({ state: 'JOB_STATE_RUNNING', host: C });
    const s = await lab.zinc(C, ['submit', '--host', A, '--', 'true'], { timeoutMs: 60_000 });
    expect(s.code).not.toBe(0);
    expect(s.stderr).toMatch(/d3/);
    await zincOk(lab, C, ['kill', gpid]);
  }, 120_000);

  it('forged gossip from an insider is dropped or never receives a job', async () => {
    onTestFailed(() => console.error(keepLabLogs(lab, 'forged-gossip', [A, A2, B])));
    const insider = { ca: join(lab.pkiDir ?? '', 'bundle.pem'), cert: join(dir, 'insider', 'd3-evil.pem'), key: join(dir, 'insider', 'd3-evil-key.pem') };
    // Its own record must match its certificate (d3/evil): claiming domain d1 drops the whole push.
    await rawPeer(lab, C, dir, { target: addr(A), tls: insider, calls: [{ rpc: 'push', fromHost: 'evil', records: [{ host: 'evil', domain: 'd1', address: '198.18.3.1:7099' }, { host: 'early', domain: 'd1', address: addr(B) }] }] });
    // Claiming to be another host is refused too.
    await rawPeer(lab, C, dir, { target: addr(A), tls: insider, calls: [{ rpc: 'push', fromHost: B, records: [{ host: 'early', domain: 'd1', address: addr(B) }] }] });
    // Then, for ~20 s: a fake d1 host with vast resources at d2-h1's address, d1-h2 "moved" to
    // d2-h1's address with a huge incarnation, and a host of a domain nobody trusts.
    const forging = rawPeer(lab, C, dir, {
      target: addr(A),
      tls: insider,
      repeat: { times: 80, everyMs: 250 },
      calls: [{ rpc: 'push', fromHost: 'evil', records: [
        { host: 'evil', domain: 'd3', address: '198.18.3.1:7099' },
        { host: 'fat', domain: 'd1', address: addr(B), memFreeBytes: 1e15, cores: 64, speed: 100 },
        { host: A2, domain: 'd1', address: addr(B), incarnation: 1e15 },
        { host: 'd9-x', domain: 'd9', address: addr(B) },
      ] }],
    });
    try {
      await waitUntil('the fake host is in the view', async () => (await zincJson<HostJson[]>(lab, A, ['hosts'])).some((h) => h.record.host === 'fat'), 15_000);
      const gpids: string[] = [];
      for (let i = 0; i < 3; i++) gpids.push(await zincOk(lab, A, ['submit', '--domain', 'd1', '--', 'sleep', '600']));
      for (const g of gpids) expect([A, A2]).toContain((await zincJson<JobJson>(lab, A, ['show', g])).host);
      // A migration to the fake host is refused and the job keeps running where it was.
      const first = gpids[0] ?? '';
      const from = (await zincJson<JobJson>(lab, A, ['show', first])).host;
      const m = await lab.zinc(A, ['migrate', first, '--to', 'fat'], { timeoutMs: 60_000 });
      expect(m.code).not.toBe(0);
      expect(m.stderr).toMatch(/did not prove it is host fat/);
      expect(await zincJson<JobJson>(lab, A, ['show', first])).toMatchObject({ state: 'JOB_STATE_RUNNING', host: from });
      // The "moved" d1-h2 and the untrusted domain's host never made it into the view.
      const view = await zincJson<HostJson[]>(lab, A, ['hosts']);
      expect(view.find((h) => h.record.host === A2)?.record.address).toBe(addr(A2));
      expect(view.map((h) => h.record.host)).not.toContain('d9-x');
      expect(view.map((h) => h.record.host)).not.toContain('early');
      // And work for d1-h2 goes to the real one.
      const g2 = await zincOk(lab, A, ['submit', '--host', A2, '--', 'sleep', '600']);
      expect((await zincJson<JobJson[]>(lab, A2, ['ps'])).map((j) => j.gpid)).toContain(g2);
      for (const g of [...gpids, g2]) await zincOk(lab, A, ['kill', g]);
    } finally {
      await forging.catch(() => undefined);
    }
    const logA = readFileSync(lab.host(A).daemonLog, 'utf8');
    expect(logA).toMatch(/sender's record says domain d1, certificate proves d3.*gossip push refused/);
    expect(logA).toMatch(/message claims to come from d2-h1.*gossip push refused/);
    expect(logA).toMatch(/second-hand record moves d1-h2.*gossip record dropped/);
    expect(logA).toMatch(/domain d9 is not trusted.*gossip record dropped/);
    expect(logA).toMatch(/"host":"fat".*placed host did not prove its identity/);
  }, 180_000);
});

function spawnZinc(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [ZINC, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`zinc ${args.join(' ')} failed (${String(code)}): ${err}`))));
  });
}
