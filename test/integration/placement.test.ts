/**
 * Issue 5 acceptance on the real lab: Name Dropper convergence, dead hosts, Zinctask spread, no
 * stampede, run-time policy switch, the balancer, and drain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZincClient } from '../../cli/client.js';
import { waitUntil } from '../helpers/daemon.js';
import { missing, titled } from '../helpers/env.js';
import { copiesOf, upLab, zincJson, zincOk, type Lab } from '../helpers/lab.js';

const skip = missing({ root: true, criu: true });
const BURN = ['sh', '-c', 'while :; do :; done'];

interface HostView {
  record: { host: string; draining: boolean; jobs: number };
  status: string;
}
interface JobJson {
  gpid: string;
  host: string;
  state: string;
  migrations: number;
  placement: { policy: string; chosen: string } | null;
  events: Array<{ type: string; message: string; atMs: number }>;
}

async function killAll(lab: Lab, entry: string): Promise<void> {
  for (const j of await zincJson<JobJson[]>(lab, entry, ['ps'])) await lab.zinc(entry, ['kill', j.gpid]);
}

function perHost(jobs: JobJson[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const j of jobs) n[j.host] = (n[j.host] ?? 0) + 1;
  return n;
}

describe.skipIf(skip)(titled('discovery and placement on the lab', skip), () => {
  describe('Name Dropper convergence from a path', () => {
    let lab: Lab;
    const interval = 1000;
    let readyAt = 0;
    beforeAll(async () => {
      lab = await upLab({ name: 'ndpath', domains: 3, hosts: 6, peering: 'path', daemonArgs: ['--gossip-interval', `${interval}ms`] });
      readyAt = Date.now();
    });
    afterAll(() => lab?.down());

    it('six daemons in three domains, each knowing only the next, all list all six alive within (log₂ 6)² + 2 rounds', async () => {
      const bound = Math.log2(6) ** 2 + 2;
      const hosts = lab.hosts().map((h) => h.id);
      // All six views are read at once: a sequential sweep would take longer than a round, and
      // would compare views from different moments.
      await waitUntil('complete knowledge', async () => {
        const views = await Promise.all(hosts.map((h) => zincJson<HostView[]>(lab, h, ['hosts'])));
        return views.every((view) => view.filter((v) => v.status === 'HOST_STATUS_ALIVE').length === 6);
      }, bound * interval + 5000, 100);
      const rounds = (Date.now() - readyAt) / interval;
      process.stdout.write(`Name Dropper (lab, path of 6): complete knowledge after ~${rounds.toFixed(1)} rounds (bound ${bound.toFixed(2)})\n`);
      expect(rounds).toBeLessThanOrEqual(bound + 0.5);
    });

    it('a killed host is dead on all others within the configured intervals, and nothing is placed on it', async () => {
      const victim = 'd2-h2';
      await lab.killDaemon(victim, 'SIGKILL');
      const t0 = Date.now();
      const others = lab.hosts().map((h) => h.id).filter((h) => h !== victim);
      // deadAfterRounds defaults to 12: dead once its record is 12 intervals old, plus gossip delay.
      // The views are read at once: a sequential sweep of five CLI calls takes 1.5 s or more, which
      // would be counted as detection time.
      await waitUntil('dead everywhere', async () => {
        const views = await Promise.all(others.map((h) => zincJson<HostView[]>(lab, h, ['hosts'])));
        return views.every((vs) => {
          const v = vs.find((x) => x.record.host === victim);
          return !v || v.status === 'HOST_STATUS_DEAD';
        });
      }, (12 + 4) * interval, 200);
      process.stdout.write(`dead host noticed everywhere after ${((Date.now() - t0) / interval).toFixed(1)} intervals\n`);
      for (let i = 0; i < 8; i++) await zincOk(lab, 'd1-h1', ['submit', '--', 'sleep', '60']);
      const jobs = await zincJson<JobJson[]>(lab, 'd1-h1', ['ps']);
      expect(jobs.filter((j) => j.host === victim)).toEqual([]);
      await killAll(lab, 'd1-h1');
    });
  });

  describe('placement and balancing', () => {
    let lab: Lab;
    const entry = 'd1-h1';
    beforeAll(async () => {
      lab = await upLab({ name: 'place', domains: 3, hosts: 6, daemonArgs: ['--gossip-interval', '500ms'] });
      await waitUntil('full view', async () => (await zincJson<HostView[]>(lab, entry, ['hosts'])).length === 6, 20_000);
    });
    afterAll(() => lab?.down());

    it('spread: twelve CPU-bound jobs submitted to one entry host put no more than 3 on any host', async () => {
      for (let i = 0; i < 12; i++) await zincOk(lab, entry, ['submit', '--', ...BURN]);
      const counts = perHost(await zincJson<JobJson[]>(lab, entry, ['ps']));
      process.stdout.write(`zinctask spread of 12 jobs: ${JSON.stringify(counts)}\n`);
      expect(Math.max(...Object.values(counts))).toBeLessThanOrEqual(3);
      await killAll(lab, entry);
    });

    it('no stampede: twenty submits within 100 ms do not all land on the one idle host', async () => {
      const idle = 'd3-h2';
      for (const h of lab.hosts().map((x) => x.id).filter((x) => x !== idle)) {
        for (let i = 0; i < 2; i++) await zincOk(lab, entry, ['submit', '--host', h, '--', ...BURN]);
      }
      // Let gossip report the loads, so the idle host really looks like the only idle one.
      await new Promise((r) => setTimeout(r, 6000));
      const client = new ZincClient(lab.host(entry).socket);
      const t0 = performance.now();
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => client.call(client.jobs, 'submit', { spec: { argv: ['sleep', '60'] }, host: '', domain: '' })),
      );
      const spanMs = performance.now() - t0;
      client.close();
      const hosts = replies.map((r) => r.host);
      const onIdle = hosts.filter((h) => h === idle).length;
      process.stdout.write(`20 submits sent at once, all answered within ${spanMs.toFixed(0)} ms: ${onIdle} on the idle host, spread ${JSON.stringify(perHost(hosts.map((h) => ({ host: h }) as JobJson)))}\n`);
      expect(onIdle).toBeLessThan(20);
      expect(onIdle).toBeGreaterThan(0);
      await killAll(lab, entry);
    });

    it('policy switch: `zinc policy set random` changes the very next placement, without a restart', async () => {
      await zincOk(lab, entry, ['policy', 'set', 'random']);
      const g = await zincOk(lab, entry, ['submit', '--', 'sleep', '30']);
      const j = await zincJson<JobJson>(lab, entry, ['show', g]);
      expect(j.placement?.policy).toMatch(/> random$/);
      await zincOk(lab, entry, ['policy', 'set', 'zinctask']);
      const g2 = await zincOk(lab, entry, ['submit', '--', 'sleep', '30']);
      expect((await zincJson<JobJson>(lab, entry, ['show', g2])).placement?.policy).toMatch(/> zinctask$/);
      await killAll(lab, entry);
    });

    it('balancer: six jobs forced onto one host are spread within 30 s, and no job migrates more than twice in 2 minutes', async () => {
      await zincOk(lab, entry, ['policy', 'set', 'zinctask', '--all', '--balancer', 'on']);
      const t0 = Date.now();
      const gpids: string[] = [];
      for (let i = 0; i < 6; i++) gpids.push(await zincOk(lab, entry, ['submit', '--host', entry, '--', ...BURN]));
      const spread = await waitUntil('spread', async () => {
        const c = perHost(await zincJson<JobJson[]>(lab, entry, ['ps']));
        return Math.max(...Object.values(c)) <= 2 ? c : undefined;
      }, 30_000, 500);
      process.stdout.write(`balancer spread six jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(spread)}\n`);
      // Watch until two minutes after the start for ping-pong.
      await new Promise((r) => setTimeout(r, Math.max(0, 120_000 - (Date.now() - t0))));
      const jobs = await zincJson<JobJson[]>(lab, entry, ['ps']);
      const moves = jobs.filter((j) => gpids.includes(j.gpid)).map((j) => j.migrations);
      process.stdout.write(`migrations per job after 2 min: ${moves.join(' ')}\n`);
      expect(Math.max(...moves)).toBeLessThanOrEqual(2);
      for (const g of gpids) {
        const ev = (await zincJson<JobJson>(lab, entry, ['show', g])).events.filter((e) => e.type === 'migrating');
        for (const e of ev) expect(e.message).toMatch(/balancer/);
      }
      await zincOk(lab, entry, ['policy', 'set', 'zinctask', '--all', '--balancer', 'off']);
      await killAll(lab, entry);
    }, 200_000);

    it('drain moves every job off a host and keeps new jobs away; undrain reverses it', async () => {
      const target = 'd2-h1';
      const gpids: string[] = [];
      for (let i = 0; i < 3; i++) gpids.push(await zincOk(lab, entry, ['submit', '--host', target, '--', 'sleep', '120']));
      await zincOk(lab, entry, ['drain', target]);
      // Drained: each job has exactly one copy, and not on the target (mid-migration there are two).
      await waitUntil('drained', () => gpids.every((g) => { const c = copiesOf(lab, g); return c.length === 1 && c[0]?.host !== target; }), 60_000, 500);
      // Placed jobs avoid it even if the entry's view predates the drain (the host refuses, the entry re-places).
      for (let i = 0; i < 6; i++) await zincOk(lab, entry, ['submit', '--', 'sleep', '60']);
      const forced = await lab.zinc(entry, ['submit', '--host', target, '--', 'sleep', '60'], { timeoutMs: 30_000 });
      expect(forced.code).not.toBe(0);
      expect(forced.stderr).toMatch(new RegExp(`${target} is draining and takes no new jobs.*zinc undrain ${target}`));
      const jobs = await zincJson<JobJson[]>(lab, entry, ['ps']);
      expect(jobs.filter((j) => j.host === target)).toEqual([]);
      const view = await zincJson<HostView[]>(lab, entry, ['hosts']);
      expect(view.find((v) => v.record.host === target)?.record.draining).toBe(true);
      await zincOk(lab, entry, ['undrain', target]);
      await waitUntil('undrained', async () => (await zincJson<HostView[]>(lab, entry, ['hosts'])).find((v) => v.record.host === target)?.record.draining === false, 10_000);
      await killAll(lab, entry);
    }, 120_000);
  });
});
