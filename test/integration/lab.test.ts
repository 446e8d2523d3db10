/**
 * zinc-lab on real network namespaces: reachability, WAN latency and bandwidth, per-host mount
 * namespaces, link cuts, daemon lifecycle (with a stand-in daemon, so that this file does not
 * depend on zincd's state of completion), host speed emulation, and cleanup, including after a
 * SIGKILLed `up`.
 *
 * Run: cd /work/main && node scripts/build.mjs; npx vitest run test/integration/lab.test.ts
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hierarchies } from '../../infra/lab/cgroups.js';
import { answeringPid } from '../../infra/lab/daemon.js';
import { Lab } from '../../infra/lab/lab.js';
import { readMounts } from '../../infra/lab/mounts.js';
import { NETNS_DIR, RUN_DIR, installRoot, labCliEntry, probeEntry, relayBinary, zincdEntry } from '../../infra/lab/paths.js';
import { isAlive, type ProcRef } from '../../infra/lab/procs.js';
import { tbfParams } from '../../infra/lab/links.js';
import { expandCounts, makePlan, parseRate, peersFor, DEFAULTS } from '../../infra/lab/topology.js';

const isRoot = process.getuid?.() === 0;
const inCI = process.env.CI === 'true';
const root = installRoot();
const BASE = '/tmp/zinc-lab';

// Distinct lab names for this file, so it never meets another test file's lab.
const MAIN = 'itlab';
const DAEMONS = 'itlabd';
const SPEED = 'itlabs';
const KILLED = 'itlabk';
const ZINCD = 'itlabz';
const RESTARTS = 'itlabr';

/** Everything a lab leaves on the machine, by kind; all empty once it is removed. */
interface Traces {
  netns: string[];
  runFiles: string[];
  mounts: string[];
  cgroups: string[];
  dirs: string[];
}

function traces(lab: string): Traces {
  const netns = existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR).filter((n) => n.startsWith(`zl-${lab}-`)) : [];
  const runFiles = existsSync(RUN_DIR)
    ? readdirSync(RUN_DIR).filter((n) => n.startsWith(`${lab}-`) || n === `${lab}.json` || n === `${lab}.lock`)
    : [];
  const mounts = readMounts()
    .map((m) => m.mountPoint)
    .filter((p) => p.includes(`/zl-${lab}-`) || p.startsWith(`${RUN_DIR}/${lab}-`) || p.startsWith(`${BASE}/${lab}/`));
  const cgroups = hierarchies()
    .map((h) => join(h.mountPoint, 'zinc-lab', lab))
    .filter((d) => existsSync(d));
  const dirs = [join(BASE, lab)].filter((d) => existsSync(d));
  return { netns, runFiles, mounts, cgroups, dirs };
}

function expectNoTraces(lab: string): void {
  expect(traces(lab)).toEqual({ netns: [], runFiles: [], mounts: [], cgroups: [], dirs: [] });
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('zinc-lab plan (no root needed)', () => {
  it('deals hosts round-robin over domains and addresses them 198.18.<d>.<k>', () => {
    expect(expandCounts(3, 7).domains.map((d) => d.hosts)).toEqual([3, 2, 2]);
    const plan = makePlan(expandCounts(3, 6), DEFAULTS);
    expect(plan.hosts.map((h) => `${h.id}@${h.address}`)).toEqual([
      'd1-h1@198.18.1.1', 'd1-h2@198.18.1.2', 'd2-h1@198.18.2.1', 'd2-h2@198.18.2.2', 'd3-h1@198.18.3.1', 'd3-h2@198.18.3.2',
    ]);
    expect(plan.domains.map((d) => [d.gateway, d.wanAddress, d.wanDelayUs])).toEqual([
      ['198.18.1.254', '198.19.0.1', 10_000],
      ['198.18.2.254', '198.19.0.2', 10_000],
      ['198.18.3.254', '198.19.0.3', 10_000],
    ]);
  });

  it('builds peer lists for each peering scheme', () => {
    const plan = makePlan(expandCounts(2, 3), DEFAULTS);
    const ids = (m: Map<string, string[]>): string[][] => plan.hosts.map((h) => m.get(h.id) ?? []);
    expect(ids(peersFor(plan, 'full', 7070))[0]).toEqual(['198.18.1.2:7070', '198.18.2.1:7070']);
    expect(ids(peersFor(plan, 'path', 7070))).toEqual([['198.18.1.2:7070'], ['198.18.2.1:7070'], []]);
    expect(ids(peersFor(plan, 'ring', 7070))[2]).toEqual(['198.18.1.1:7070']);
    expect(ids(peersFor(plan, 'star', 7070))).toEqual([[], ['198.18.1.1:7070'], ['198.18.1.1:7070']]);
    expect(ids(peersFor(plan, 'none', 7070))).toEqual([[], [], []]);
  });

  it('parses rates the way tc writes them and sizes tbf queues by the BDP', () => {
    expect(parseRate('100mbit')).toBe(100e6);
    expect(parseRate('1.5Gbit')).toBe(1.5e9);
    expect(parseRate('unlimited')).toBeNull();
    expect(() => parseRate('10mbps')).toThrow(/bad rate/);
    // 100 Mbit/s over a 100 ms round trip: 1.25 MB in flight.
    expect(tbfParams(100e6, 100_000).limitBytes).toBe(1_250_000);
    expect(tbfParams(100e6, 100_000).burstBytes).toBe(50_000);
  });
});

const title = (t: string): string => (isRoot || inCI ? t : `${t} (skipped: needs root)`);

describe.skipIf(!isRoot && !inCI)(title('zinc-lab on real namespaces'), () => {
  beforeAll(() => {
    if (!isRoot) throw new Error('zinc-lab integration tests need root (CI=true, so not skipping)');
    for (const f of [relayBinary(root), probeEntry(root), labCliEntry(root)]) {
      if (!existsSync(f)) throw new Error(`${f} is missing: run \`node scripts/build.mjs\` first`);
    }
  });

  describe('a two-domain lab (20 Mbit/s, 20 ms one-way between domains)', () => {
    let lab: Lab | undefined;
    let relays: ProcRef[] = [];

    beforeAll(async () => {
      lab = await Lab.up({ name: MAIN, domains: 2, hosts: 3, wanRate: '20mbit', wanDelayMs: 20, daemons: false });
      const state = JSON.parse(readFileSync(join(RUN_DIR, `${MAIN}.json`), 'utf8')) as { domains: Array<{ relay: ProcRef }> };
      relays = state.domains.map((d) => d.relay);
    });
    afterAll(async () => {
      // Whatever happened above, the lab goes.
      await Lab.down(MAIN);
    });

    it('has the planned hosts, each in its own namespace with lo up', async () => {
      const l = lab!;
      expect(l.hosts().map((h) => [h.id, h.domain, h.address, h.netns])).toEqual([
        ['d1-h1', 'd1', '198.18.1.1', `zl-${MAIN}-d1-h1`],
        ['d1-h2', 'd1', '198.18.1.2', `zl-${MAIN}-d1-h2`],
        ['d2-h1', 'd2', '198.18.2.1', `zl-${MAIN}-d2-h1`],
      ]);
      const r = await l.exec('d1-h1', ['ip', '-br', 'addr']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^lo\s+UNKNOWN\s+127\.0\.0\.1\/8/m);
      expect(r.stdout).toMatch(/^lan0@\S+\s+UP\s+198\.18\.1\.1\/24/m);
    });

    it('has no route out of the lab', async () => {
      const r = await lab!.exec('d1-h1', ['ip', 'route', 'get', '192.0.2.1']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/unreachable/i);
    });

    it('passes exit codes through exec', async () => {
      expect((await lab!.exec('d2-h1', ['sh', '-c', 'exit 7'])).code).toBe(7);
    });

    it('connects hosts of the same domain directly (sub-millisecond)', async () => {
      const m = await lab!.measure('d1-h1', 'd1-h2', { seconds: 1, rttCount: 10 });
      console.log(`same domain: rtt median ${m.rttMs.median.toFixed(2)} ms, tcp ${m.throughputMbit.toFixed(0)} Mbit/s`);
      expect(m.rttMs.median).toBeLessThan(5);
    });

    it('connects domains with RTT ≈ 2 × delay and TCP throughput ≈ the WAN rate', async () => {
      const m = await lab!.measure('d1-h1', 'd2-h1', { seconds: 5, rttCount: 20 });
      console.log(
        `20 Mbit/s, 20 ms: rtt min/median/max ${m.rttMs.min.toFixed(2)}/${m.rttMs.median.toFixed(2)}/${m.rttMs.max.toFixed(2)} ms, ` +
          `tcp ${m.throughputMbit.toFixed(2)} Mbit/s`,
      );
      expect(m.rttMs.min).toBeGreaterThanOrEqual(38);
      expect(m.rttMs.median).toBeGreaterThanOrEqual(38);
      expect(m.rttMs.median).toBeLessThanOrEqual(60);
      expect(m.throughputMbit).toBeGreaterThanOrEqual(0.6 * 20);
      expect(m.throughputMbit).toBeLessThanOrEqual(1.05 * 20);
    });

    it('gives every host its own /var/lib/zinc (per-host mount namespace)', async () => {
      const l = lab!;
      for (const h of l.hosts()) writeFileSync(join(h.stateDir, 'whoami'), h.id);
      for (const h of l.hosts()) {
        const r = await l.exec(h.id, ['cat', '/var/lib/zinc/whoami']);
        expect(r.stdout).toBe(h.id);
      }
      // The root namespace's /var/lib/zinc is untouched.
      expect(existsSync('/var/lib/zinc/whoami')).toBe(false);
      // And the host is in the same mount namespace as its daemon will be: not a fresh one per exec.
      const a = await l.exec('d1-h1', ['readlink', '/proc/self/ns/mnt']);
      const b = await l.exec('d1-h1', ['readlink', '/proc/self/ns/mnt']);
      expect(a.stdout).toBe(b.stdout);
    });

    it('cutLink blackholes a domain, healLink restores it', async () => {
      const l = lab!;
      const probe = probeEntry(root);
      const server = l.spawn('d2-h1', [process.execPath, probe, 'serve', '198.18.2.1', '5301'], { stdio: 'ignore' });
      try {
        await new Promise((r) => setTimeout(r, 500));
        const rtt = (): Promise<{ code: number }> =>
          l.exec('d1-h1', [process.execPath, probe, 'rtt', '198.18.2.1', '5301', '3'], { timeoutMs: 3_000 });
        expect((await rtt()).code).toBe(0);
        await l.cutLink('d2');
        expect(l.domains().find((d) => d.name === 'd2')?.cut).toBe(true);
        expect((await rtt()).code).not.toBe(0); // connect never completes: killed by the timeout
        // Inside domain d1 everything still works.
        const local = await l.measure('d1-h1', 'd1-h2', { seconds: 0.5, rttCount: 3, port: 5302 });
        expect(local.rttMs.median).toBeLessThan(5);
        await l.healLink('d2');
        expect((await rtt()).code).toBe(0);
      } finally {
        server.kill('SIGKILL');
      }
    });

    it('holds most of 100 Mbit/s with 50 ms one-way delay (setWan)', async () => {
      const l = lab!;
      await l.setWan({ rate: '100mbit', delayMs: 50 });
      const m = await l.measure('d1-h1', 'd2-h1', { seconds: 8, rttCount: 10 });
      console.log(
        `100 Mbit/s, 50 ms: rtt min/median ${m.rttMs.min.toFixed(2)}/${m.rttMs.median.toFixed(2)} ms, ` +
          `tcp ${m.throughputMbit.toFixed(2)} Mbit/s (${((m.throughputMbit / 100) * 100).toFixed(0)}% of the rate)`,
      );
      expect(m.rttMs.median).toBeGreaterThanOrEqual(98);
      expect(m.rttMs.median).toBeLessThanOrEqual(130);
      expect(m.throughputMbit).toBeGreaterThanOrEqual(50);
      expect(m.throughputMbit).toBeLessThanOrEqual(105);
    });

    it('down removes namespaces, mounts, cgroups, processes and files', async () => {
      const l = lab!;
      const before = traces(MAIN);
      expect(before.netns.length).toBe(3 + 2 * 2 + 1);
      expect(before.mounts.length).toBeGreaterThan(0);
      const current = JSON.parse(readFileSync(join(RUN_DIR, `${MAIN}.json`), 'utf8')) as { domains: Array<{ relay: ProcRef }> };
      const allRelays = [...relays, ...current.domains.map((d) => d.relay)];
      await l.down();
      expectNoTraces(MAIN);
      for (const r of allRelays) expect(isAlive(r)).toBe(false);
      lab = undefined;
    });
  });

  describe('daemons (with a stand-in daemon)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zinc-lab-test-'));
    const fake = join(dir, 'fake-zincd.mjs');
    let lab: Lab | undefined;

    beforeAll(async () => {
      // Answers Hello on --socket like zincd (the lab's readiness check), records its flags and
      // the state dir it sees. It takes grpc-js and zinc's proto from this installation.
      writeFileSync(
        fake,
        `import { createRequire } from 'node:module';
import { writeFileSync, rmSync } from 'node:fs';
const grpc = createRequire(${JSON.stringify(join(root, 'package.json'))})('@grpc/grpc-js');
const { zincV1 } = await import(${JSON.stringify(join(root, 'dist', 'proto', 'loader.js'))});
const a = process.argv.slice(2);
const flag = (n) => a[a.indexOf(n) + 1];
const sock = flag('--socket');
rmSync(sock, { force: true });
writeFileSync(flag('--state-dir') + '/args.json', JSON.stringify(a));
console.error('fake zincd ' + flag('--host-id') + ' starting');
const server = new grpc.Server();
server.addService(zincV1().Hosts.service, { Hello: (_call, cb) => cb(null, { version: 'fake', pid: process.pid }) });
server.bindAsync('unix:' + sock, grpc.ServerCredentials.createInsecure(), (err) => { if (err) { console.error(err.message); process.exit(1); } });
`,
      );
      lab = await Lab.up({
        name: DAEMONS,
        domains: 2,
        hosts: 2,
        wanDelayMs: 0,
        peering: 'ring',
        daemonEntry: fake,
        daemonArgs: ['--log-level', 'debug'],
      });
    });
    afterAll(async () => {
      await Lab.down(DAEMONS);
      rmSync(dir, { recursive: true, force: true });
      expectNoTraces(DAEMONS);
    });

    it('starts one daemon per host inside the host, with zincd flags', async () => {
      const l = lab!;
      const s = await l.status();
      expect(s.hosts.map((h) => [h.id, h.daemonAlive, h.daemonReady])).toEqual([
        ['d1-h1', true, true],
        ['d2-h1', true, true],
      ]);
      const h = l.host('d1-h1');
      const args = JSON.parse(readFileSync(join(h.stateDir, 'args.json'), 'utf8')) as string[];
      expect(args).toEqual([
        '--host-id', 'd1-h1', '--domain', 'd1', '--state-dir', '/var/lib/zinc', '--socket', '/var/lib/zinc/zincd.sock',
        '--listen', '198.18.1.1:7070', '--peers', '198.18.2.1:7070', '--cgroup-parent', `zinc-lab/${DAEMONS}/d1-h1`,
        '--speed', '1', '--cores', String(h.cores),
        // The lab's PKI: every domain's CA in one bundle, this host's certificate and key.
        '--tls-ca', join(l.labDir, 'pki', 'bundle.pem'), '--tls-cert', join(l.labDir, 'pki', 'd1-d1-h1.pem'), '--tls-key', join(l.labDir, 'pki', 'd1-d1-h1-key.pem'),
        // One organisation: every domain's accounts are the same accounts (infra/lab/users.ts).
        '--user-map', join(l.labDir, 'user-map.json'),
        '--log-level', 'debug',
      ]);
      expect(statSync(join(l.labDir, 'pki', 'd1-d1-h1-key.pem')).mode & 0o777).toBe(0o600);
      expect(statSync(join(l.labDir, 'pki')).mode & 0o777).toBe(0o700);
      expect(readFileSync(h.daemonLog, 'utf8')).toContain('fake zincd d1-h1 starting');
      // The lab put it in its cgroup, where cleanup finds it.
      const cg = readFileSync(`/proc/${h.daemonPid}/cgroup`, 'utf8');
      expect(cg).toContain(`/zinc-lab/${DAEMONS}/d1-h1/daemon`);
    });

    it('killDaemon and startDaemon restart a daemon with the same flags', async () => {
      const l = lab!;
      const old = l.host('d2-h1').daemonPid;
      expect(await l.killDaemon('d2-h1', 'SIGKILL')).toBe(true);
      expect(l.host('d2-h1').daemonPid).toBeNull();
      expect((await l.status()).hosts[1]?.daemonReady).toBe(false);
      const pid = await l.startDaemon('d2-h1');
      expect(pid).not.toBe(old);
      expect((await l.status()).hosts[1]?.daemonReady).toBe(true);
      await expect(l.startDaemon('d2-h1')).rejects.toMatchObject({ code: 'LAB_DAEMON_RUNNING' });
    });

    it('reports a daemon that dies at start with the tail of its log', async () => {
      const l = lab!;
      await l.killDaemon('d1-h1');
      writeFileSync(fake, `console.error('boom: cannot start'); process.exit(3);\n`);
      await expect(l.startDaemon('d1-h1', { timeoutMs: 10_000 })).rejects.toMatchObject({
        code: 'LAB_DAEMON_START_FAILED',
        hint: expect.stringContaining('boom: cannot start') as unknown,
      });
    });
  });

  const zincdBuilt = existsSync(zincdEntry(root));
  describe.skipIf(!zincdBuilt)(zincdBuilt ? 'with the real zincd' : 'with the real zincd (skipped: dist/daemon/main.js not built)', () => {
    afterAll(async () => {
      await Lab.down(ZINCD);
    });

    it('starts, restarts and removes zincd and everything it created', async () => {
      const lab = await Lab.up({ name: ZINCD, domains: 2, hosts: 2, wanDelayMs: 10 });
      const s = await lab.status();
      expect(s.hosts.map((h) => h.daemonReady)).toEqual([true, true]);
      const pid = lab.host('d1-h1').daemonPid;
      expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/zinc-lab/${ZINCD}/d1-h1/daemon`);
      // A SIGKILLed zincd leaves its socket file behind; the restarted one must still become ready.
      await lab.killDaemon('d2-h1', 'SIGKILL');
      expect(existsSync(lab.socketPath('d2-h1'))).toBe(true);
      await lab.startDaemon('d2-h1');
      expect((await lab.status()).hosts.map((h) => h.daemonReady)).toEqual([true, true]);
      await lab.down();
      expectNoTraces(ZINCD);
    });

    it('comes back and answers after SIGKILL and an immediate restart, 20 times in a row, and as an orphan (zinc-lab daemon stop/start)', async () => {
      const lab = await Lab.up({ name: RESTARTS, domains: 1, hosts: 1, wanDelayMs: 0 });
      const cli = (args: string[]): Promise<string> =>
        new Promise((resolve, reject) => {
          execFile(process.execPath, [labCliEntry(root), ...args, '--name', RESTARTS], { timeout: 60_000 }, (err, stdout, stderr) =>
            err ? reject(new Error(`zinc-lab ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
          );
        });
      try {
        const pids = new Set<number>();
        // 1. Through the Lab API, 20 times: each restart must come up, and "ready" must mean the
        //    new zincd answers (its own pid), not a socket left by the old one.
        for (let i = 0; i < 20; i++) {
          expect(await lab.killDaemon('d1-h1', 'SIGKILL')).toBe(true);
          const pid = await lab.startDaemon('d1-h1');
          expect(await answeringPid(lab.socketPath('d1-h1'))).toBe(pid);
          pids.add(pid);
        }
        expect(pids.size).toBe(20);
        // 2. Through the CLI, so each killed zincd is an orphan that init reaps (here init polls
        //    every 1-2 s): neither its zombie nor its lock may stop the next one.
        for (let i = 0; i < 3; i++) {
          expect(await cli(['daemon', 'stop', '--signal', 'KILL', 'd1-h1'])).toContain('sent SIGKILL to zincd on d1-h1');
          const started = /is ready \(pid (\d+)\)/.exec(await cli(['daemon', 'start', 'd1-h1']));
          expect(await answeringPid(lab.socketPath('d1-h1'))).toBe(Number(started?.[1]));
        }
        expect((await lab.zinc('d1-h1', ['hosts'])).code).toBe(0);
      } finally {
        await Lab.down(RESTARTS);
      }
      expectNoTraces(RESTARTS);
    });
  });

  describe('host speed emulation', () => {
    afterAll(async () => {
      await Lab.down(SPEED);
      expectNoTraces(SPEED);
    });

    it('caps a slow host\'s jobs at speed × cores CPUs', async () => {
      const lab = await Lab.up({
        name: SPEED,
        daemons: false,
        topology: { domains: [{ name: 'eu', hosts: [{ speed: 0.5, cores: 2 }, { speed: 1, cores: 1 }] }] },
      });
      const cpuV1 = hierarchies().find((h) => h.version === 1 && h.controllers.includes('cpu'));
      const v2 = hierarchies().find((h) => h.version === 2 && h.controllers.includes('cpu'));
      if (cpuV1) {
        const jobs = (host: string): string => join(cpuV1.mountPoint, 'zinc-lab', SPEED, host, 'jobs');
        const period = Number(readFileSync(join(jobs('eu-h1'), 'cpu.cfs_period_us'), 'utf8'));
        expect(Number(readFileSync(join(jobs('eu-h1'), 'cpu.cfs_quota_us'), 'utf8'))).toBe(0.5 * 2 * period);
        expect(Number(readFileSync(join(jobs('eu-h2'), 'cpu.cfs_quota_us'), 'utf8'))).toBe(-1);
      } else if (v2) {
        const max = readFileSync(join(v2.mountPoint, 'zinc-lab', SPEED, 'eu-h1', 'jobs', 'cpu.max'), 'utf8');
        expect(max.trim()).toBe('100000 100000');
      } else {
        throw new Error('no cpu controller on this machine');
      }
      expect(lab.hosts().map((h) => [h.id, h.speed, h.cores])).toEqual([
        ['eu-h1', 0.5, 2],
        ['eu-h2', 1, 1],
      ]);
    });
  });

  describe('a SIGKILLed `zinc-lab up`', () => {
    afterAll(async () => {
      await Lab.down(KILLED);
    });

    it('is cleaned up by the next `up` of the same name', async () => {
      const child = spawn(process.execPath, [labCliEntry(root), 'up', '--name', KILLED, '--domains', '2', '--hosts', '4', '--no-daemons'], {
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.once('exit', r));
      const statePath = join(RUN_DIR, `${KILLED}.json`);
      const relaysOf = (): ProcRef[] => {
        try {
          const s = JSON.parse(readFileSync(statePath, 'utf8')) as { domains: Array<{ relay: ProcRef | null }> };
          return s.domains.flatMap((d) => (d.relay ? [d.relay] : []));
        } catch {
          return [];
        }
      };
      try {
        // Kill it once the network is partly built and at least one relay runs.
        await waitFor('a relay of the killed lab', () => relaysOf().length > 0);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      const leftRelays = relaysOf();
      expect(traces(KILLED).netns.length).toBeGreaterThan(0);
      expect(leftRelays.some(isAlive)).toBe(true);

      const lab = await Lab.up({ name: KILLED, domains: 2, hosts: 4, daemons: false });
      for (const r of leftRelays) expect(isAlive(r)).toBe(false);
      expect(lab.hosts()).toHaveLength(4);
      expect((await lab.exec('d1-h1', ['true'])).code).toBe(0);
      await lab.down();
      expectNoTraces(KILLED);
    });
  });
});
