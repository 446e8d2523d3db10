/**
 * Issue 4 acceptance: migration across hosts and domains on the real netns WAN lab, with real CRIU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { waitUntil } from '../helpers/daemon.js';
import { criuPath, missing, ROOT, titled, ZINC } from '../helpers/env.js';
import {
  armFailpoint,
  copiesOf,
  disarmFailpoint,
  isContinuous,
  jobFile,
  keepLabLogs,
  migrationLeftovers,
  numbers,
  upLab,
  waitFailpointHit,
  zincJson,
  zincOk,
  type Lab,
} from '../helpers/lab.js';
import { largestGapMs, measurePostcopyFloor } from '../helpers/postcopy-floor.js';

const TESTJOB = join(ROOT, 'build', 'zinc-testjob');
const skip = missing({ root: true, criu: true });

interface JobJson {
  gpid: string;
  state: string;
  host: string;
  hops: string[];
  migrations: number;
  events: Array<{ type: string; host: string; message: string }>;
}
interface Summary {
  outcome: string;
  lazy: boolean;
  from: string;
  to: string;
  downtimeMs: number;
  bytes: number;
}

describe.skipIf(skip)(titled('migration on the WAN lab (real CRIU)', skip), () => {
  let lab: Lab;
  const A = 'd1-h1';
  const A2 = 'd1-h2';
  const B = 'd2-h1';
  const C = 'd3-h1';

  beforeAll(async () => {
    // d1 and d2 accept each other; d3 (only its own and those) is refused by both.
    lab = await upLab({
      name: 'migt',
      domains: 3,
      hosts: 6,
      wanRate: '20mbit',
      wanDelayMs: 40,
      daemonArgs: ['--failpoints', '/var/lib/zinc/failpoints', '--accept-domains', 'd1,d2', '--gossip-interval', '500ms'],
    });
    await waitUntil('every host knows every other', async () => {
      const hosts = await zincJson<Array<{ record: { host: string } }>>(lab, A, ['hosts']);
      return hosts.length === 6;
    }, 30_000);
  });
  afterAll(async () => {
    await lab?.down();
  });

  const migrate = (from: string, gpid: string, to: string, extra: string[] = []) => zincJson<Summary>(lab, from, ['migrate', gpid, '--to', to, ...extra]);

  it('a counter crosses the WAN (20 Mbit/s, 40 ms) and continues from its value at the freeze; ps on the old host shows where it is', async () => {
    const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done']);
    await waitUntil('counting', () => numbers(jobFile(lab, A, gpid, 'stdout')).length >= 10);
    const s = await migrate(A, gpid, B);
    expect(s).toMatchObject({ outcome: 'migrated', from: A, to: B });
    const atMove = numbers(jobFile(lab, B, gpid, 'stdout')).length;
    await waitUntil('counting on B', () => numbers(jobFile(lab, B, gpid, 'stdout')).length > atMove + 5);
    expect(isContinuous(numbers(jobFile(lab, B, gpid, 'stdout')))).toBe(true);
    const onA = await zincJson<JobJson[]>(lab, A, ['ps', '-a']);
    expect(onA.find((j) => j.gpid === gpid)?.host).toBe(B);
    expect(copiesOf(lab, gpid).map((c) => c.host)).toEqual([B]);
    await zincOk(lab, A, ['kill', gpid]);
  });

  it('a host the job only passed through lists its end, not "running" elsewhere for ever (issue 18, finding 5)', async () => {
    // Home A, runs on A2, moves to B, ends there: A2 keeps a forwarding record that ps lists.
    const gpid = await zincOk(lab, A, ['submit', '--host', A2, '--', 'sleep', '600']);
    await migrate(A, gpid, B);
    await zincOk(lab, A, ['kill', gpid]);
    expect((await lab.zinc(A, ['wait', gpid])).code).toBe(137);
    for (const h of [A, A2]) {
      await waitUntil(`${h} lists ${gpid} as ended`, async () => {
        const jobs = await zincJson<JobJson[]>(lab, h, ['ps', '-a']);
        return jobs.find((j) => j.gpid === gpid)?.state === 'JOB_STATE_KILLED';
      }, 10_000);
      // And without -a, an ended job is not listed at all.
      expect((await zincJson<JobJson[]>(lab, h, ['ps'])).some((j) => j.gpid === gpid)).toBe(false);
    }
  });

  it('a 26,306,560-byte job that checksums its own memory migrates and then verifies the checksum', async () => {
    const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', TESTJOB, 'mem', '26306560']);
    await waitUntil('ready', () => jobFile(lab, A, gpid, 'stdout').startsWith('ready'), 20_000);
    const s = await migrate(A, gpid, B);
    expect(s.bytes).toBeGreaterThan(26_306_560);
    await zincOk(lab, A, ['kill', '--signal', 'USR1', gpid]);
    const w = await lab.zinc(A, ['wait', gpid]);
    expect(w.code).toBe(0);
    expect(jobFile(lab, B, gpid, 'stdout')).toMatch(/verified [0-9a-f]+\n$/);
  });

  it('round trip A→B→A→B keeps the GPID working from every host it passed, lists every hop, and leaves no temporary files', async () => {
    const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done']);
    await waitUntil('counting', () => numbers(jobFile(lab, A, gpid, 'stdout')).length >= 3);
    await migrate(A, gpid, B);
    await migrate(B, gpid, A); // asked on B, where it runs now
    await migrate(A, gpid, B);
    for (const from of [A, B]) {
      const j = await zincJson<JobJson>(lab, from, ['show', gpid]);
      expect(j.host).toBe(B);
      expect(j.hops).toEqual([A, B, A, B]);
      expect(j.events.filter((e) => e.type === 'migrated').map((e) => e.host)).toEqual([B, A, B]);
      expect(isContinuous(numbers(await zincOk(lab, from, ['logs', gpid])))).toBe(true);
    }
    for (const h of [A, B]) {
      expect(migrationLeftovers(lab, h)).toEqual([]);
      expect(existsSync(join(lab.host(h).stateDir, 'failpoints'))).toBe(false);
    }
    // The host it left keeps only a forwarding record.
    expect(readdirSync(join(lab.host(A).stateDir, 'jobs', gpid))).toEqual(['job.json']);
    const tmp = readdirSync(join(lab.host(B).stateDir, 'jobs', gpid)).filter((n) => n.includes('before-restore') || n.endsWith('.partial'));
    expect(tmp).toEqual([]);
    for (const h of [A, B]) {
      // Post-copy scratch space lives in each host's own /run.
      const r = await lab.exec(h, ['sh', '-c', `ls -A /run/zinc/${h}/migrations 2>/dev/null || true`]);
      expect(r.stdout.trim()).toBe('');
    }
    await zincOk(lab, A, ['kill', gpid]);
    expect((await lab.zinc(A, ['wait', gpid])).code).toBe(137);
    expect(copiesOf(lab, gpid)).toEqual([]);
  });

  it('zinc kill sent while a migration is finishing waits for it and then kills the job where it went', async () => {
    const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done']);
    await waitUntil('counting', () => numbers(jobFile(lab, A, gpid, 'stdout')).length >= 3);
    // Hold the migration at its very end: restored on B, not yet acknowledged to A.
    armFailpoint(lab, B, 'receive.before-ack');
    const moving = lab.zinc(A, ['migrate', gpid, '--to', B, '--json'], { timeoutMs: 120_000 });
    try {
      await waitFailpointHit(lab, B, 'receive.before-ack');
      // A still has the job (migrating) and its lock is held: the kill waits for the migration.
      const killing = lab.zinc(A, ['kill', gpid], { timeoutMs: 60_000 });
      await new Promise((r) => setTimeout(r, 500));
      disarmFailpoint(lab, B, 'receive.before-ack');
      const killed = await killing;
      expect(killed.stderr).toBe('');
      expect(killed.code).toBe(0);
      expect((await moving).code).toBe(0);
      await waitUntil('no copy left', () => copiesOf(lab, gpid).length === 0, 20_000);
      await waitUntil('the home shows it killed', async () => (await zincJson<JobJson>(lab, A, ['show', gpid])).state === 'JOB_STATE_KILLED', 20_000);
    } finally {
      disarmFailpoint(lab, B, 'receive.before-ack');
      await lab.zinc(A, ['kill', gpid]);
    }
  });

  it('post-copy (--lazy): a 256 MiB job sees a median downtime in its own timestamps under max(100 ms, raw CRIU post-copy on the same hosts + 50 ms)', async () => {
    // The floor first: raw CRIU post-copy (zinc's flags, no zinc) between the same two hosts,
    // with the same job, five times (it varies by ±25% between runs here). 100 ms is the goal
    // where the machine allows it (KVM guests measured 64–95 ms); where raw CRIU alone is slower
    // (Firecracker/PVM guests: 100–150 ms), zinc may add at most 50 ms to it instead. What zinc
    // adds is fixed work (files, manifest, transfer of the small images, the commit): +8 to +34 ms
    // over five full runs here, while the floor's median itself moved between 107 and 135 ms.
    const criu = criuPath();
    if (!criu) throw new Error('no CRIU');
    const floor: number[] = [];
    for (let i = 0; i < 5; i++) {
      const f = await measurePostcopyFloor(lab, { source: A, dest: A2, bytes: 256 << 20, criu, testjob: TESTJOB });
      floor.push(f.gapMs);
      const p = f.phases;
      process.stdout.write(`post-copy floor (raw CRIU): largest gap in the job's own timestamps ${f.gapMs.toFixed(1)} ms ` +
        `(dump ${p.dump.toFixed(0)}, copy ${p.copy.toFixed(0)}, lazy-pages ${p.lazyPages.toFixed(0)}, restore ${p.restore.toFixed(0)} ms; ` +
        `CRIU's restore time ${f.criu ? f.criu.restoreMs.toFixed(1) : '?'} ms; all pages after ${f.allPagesMs.toFixed(0)} ms)\n`);
    }
    floor.sort((x, y) => x - y);
    const limit = Math.max(100, (floor[2] ?? Infinity) + 50);

    // One warm-up post-copy migration first: the first one after a daemon starts pays for
    // starting code paths, and this measures the steady state.
    const warm = await zincOk(lab, A, ['submit', '--host', A, '--', TESTJOB, 'ticks', String(8 << 20)]);
    await waitUntil('ticking', () => jobFile(lab, A, warm, 'stdout').length > 100);
    await migrate(A, warm, A2, ['--lazy']);
    await zincOk(lab, A, ['kill', warm]);

    // Five 256 MiB migrations; the median of what the job itself saw.
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', TESTJOB, 'ticks', String(256 << 20)]);
      await waitUntil('ticking', () => jobFile(lab, A, gpid, 'stdout').length > 1000, 20_000);
      const s = await migrate(A, gpid, A2, ['--lazy']);
      expect(s.outcome).toBe('migrated');
      await new Promise((r) => setTimeout(r, 500));
      const gap = largestGapMs(jobFile(lab, A2, gpid, 'stdout'));
      gaps.push(gap);
      process.stdout.write(`post-copy: largest gap in the job's own timestamps ${gap.toFixed(1)} ms (zinc downtime ${s.downtimeMs.toFixed(0)} ms)\n`);
      await zincOk(lab, A, ['kill', gpid]);
    }
    gaps.sort((x, y) => x - y);
    process.stdout.write(`post-copy: median ${(gaps[2] ?? NaN).toFixed(1)} ms against raw CRIU's ${(floor[2] ?? NaN).toFixed(1)} ms (limit ${limit.toFixed(1)} ms)\n`);
    expect(gaps[2]).toBeLessThan(limit);
  });

  it('--lazy says so when post-copy is unavailable; --lazy=auto falls back to a plain migration', async () => {
    // Make post-copy really unavailable: CRIU's page pipes need fs.pipe-user-pages-soft = 0.
    const knob = '/proc/sys/fs/pipe-user-pages-soft';
    const saved = readFileSync(knob, 'utf8').trim();
    const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done']);
    try {
      writeFileSync(knob, '16384');
      await lab.killDaemon(A, 'SIGTERM');
      await lab.startDaemon(A);
      const r = await lab.zinc(A, ['migrate', gpid, '--to', A2, '--lazy']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/post-copy \(--lazy\) is not available on d1-h1: .*pipe.*Use --lazy=auto/);
      expect(copiesOf(lab, gpid).map((c) => c.host)).toEqual([A]);
      const s = await migrate(A, gpid, A2, ['--lazy=auto']);
      expect(s).toMatchObject({ outcome: 'migrated', lazy: false });
    } finally {
      writeFileSync(knob, saved);
      await lab.killDaemon(A, 'SIGTERM');
      await lab.startDaemon(A);
    }
    await zincOk(lab, A, ['kill', gpid]);
  });

  it('refusal: a domain that does not accept the source domain refuses, and the job keeps running where it was', async () => {
    const gpid = await zincOk(lab, C, ['submit', '--host', C, '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done']);
    await waitUntil('counting', () => numbers(jobFile(lab, C, gpid, 'stdout')).length >= 3);
    const r = await lab.zinc(C, ['migrate', gpid, '--to', A]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/d1-h1 refused job .*: d1-h1 does not accept migrations from domain d3/);
    const n = numbers(jobFile(lab, C, gpid, 'stdout')).length;
    await waitUntil('still counting on C', () => numbers(jobFile(lab, C, gpid, 'stdout')).length > n + 3);
    expect(copiesOf(lab, gpid)).toEqual([{ host: C, pids: expect.any(Array), frozen: false }]);
    expect((await zincJson<JobJson>(lab, C, ['show', gpid])).events.map((e) => e.type)).not.toContain('migrating');
    await zincOk(lab, C, ['kill', gpid]);
  });

  describe('fault matrix: exactly one copy runs afterwards, and its output is continuous', () => {
    const FAULTS = ['kill source zincd', 'kill destination zincd', 'cut the link'] as const;
    const PHASES = [
      { name: 'after acceptance', point: 'migrate.accepted', on: 'source' },
      { name: 'during dump', point: 'migrate.frozen', on: 'source' },
      { name: 'mid-transfer', point: 'transfer.half', on: 'source' },
      { name: 'during restore', point: 'receive.restored', on: 'destination' },
      { name: 'before the acknowledgement', point: 'receive.before-ack', on: 'destination' },
    ] as const;
    const table: Array<{ fault: string; phase: string; outcome: string; lost: number; duplicated: number; ms: number }> = [];

    afterAll(() => {
      const lines = table.map((r) => `${r.fault.padEnd(24)} ${r.phase.padEnd(28)} ${r.outcome.padEnd(12)} lost=${r.lost} duplicated=${r.duplicated} (${(r.ms / 1000).toFixed(1)} s)`);
      process.stdout.write(`\nfault matrix (A=${A} → B=${B}, 20 Mbit/s, 40 ms):\n${lines.join('\n')}\n` +
        `total lost ${table.reduce((n, r) => n + r.lost, 0)}, duplicated ${table.reduce((n, r) => n + r.duplicated, 0)}\n`);
    });

    for (const fault of FAULTS) {
      for (const phase of PHASES) {
        it(`${fault} ${phase.name}`, async () => {
          const t0 = Date.now();
          onTestFailed(() => {
            process.stderr.write(`\n${fault} ${phase.name} failed; ${keepLabLogs(lab, `${fault} ${phase.name}`, [A, B])}\n`);
          });
          // 8 MiB of memory: a few archive chunks, so "mid-transfer" is a real midpoint.
          const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', TESTJOB, 'mem', String(8 << 20)]);
          await waitUntil('beating', () => numbers(jobFile(lab, A, gpid, 'stdout')).length >= 5, 20_000);
          const fpHost = phase.on === 'source' ? A : B;
          armFailpoint(lab, fpHost, phase.point);
          const cli: ChildProcess = spawn(process.execPath, [ZINC, '--socket', lab.host(A).socket, 'migrate', gpid, '--to', B, '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
          let cliErr = '';
          cli.stderr?.on('data', (d: Buffer) => (cliErr += d.toString()));
          const cliExited = new Promise<void>((r) => cli.once('exit', () => r()));
          // This case's own migrations only: a case that failed before must not fail this one too.
          const inFlight = (h: string): string[] => migrationLeftovers(lab, h).filter((id) => id.startsWith(`${gpid}-`) && !isAbortedRecord(lab, h, id));
          let passed = false;
          try {
            await waitFailpointHit(lab, fpHost, phase.point);
            if (fault === 'kill source zincd') await lab.killDaemon(A, 'SIGKILL');
            else if (fault === 'kill destination zincd') await lab.killDaemon(B, 'SIGKILL');
            else await lab.cutLink('d1');
            disarmFailpoint(lab, fpHost, phase.point);
            if (fault === 'cut the link') {
              await new Promise((r) => setTimeout(r, 3000));
              await lab.healLink('d1');
            } else {
              await new Promise((r) => setTimeout(r, 500));
              await lab.startDaemon(fault === 'kill source zincd' ? A : B);
            }
            // Settled: one unfrozen copy, no migration in flight on either host.
            await waitUntil('settled', () => {
              const c = copiesOf(lab, gpid);
              return c.length === 1 && !c[0]?.frozen && inFlight(A).length === 0 && inFlight(B).length === 0;
            }, 90_000, 200);
            const copies = copiesOf(lab, gpid);
            const host = copies[0]?.host ?? '?';
            const before = numbers(jobFile(lab, host, gpid, 'stdout')).length;
            await waitUntil('beating after', () => numbers(jobFile(lab, host, gpid, 'stdout')).length > before + 3, 20_000);
            const xs = numbers(jobFile(lab, host, gpid, 'stdout').replace(/^ready.*\n/, ''));
            expect(isContinuous(xs)).toBe(true);
            if (fault === 'kill source zincd') {
              // The CLI lost its zincd mid-way: it says so, and what becomes of the job.
              await Promise.race([cliExited, new Promise((r) => setTimeout(r, 10_000))]);
              expect(cliErr).toMatch(/lost contact with zincd during the migration of \S+ to d2-h1 \(last phase: \w+\).*finishes the migration or rolls it back/s);
            }
            if (fault === 'kill destination zincd' && (phase.point === 'migrate.accepted' || phase.point === 'migrate.frozen')) {
              // The destination died before the transfer could begin: the CLI must not say the
              // migration failed "while restoring". (Mid-transfer, the source may have sent the
              // whole archive into the dead connection and be waiting for the restore: that one
              // may say so.)
              await Promise.race([cliExited, new Promise((r) => setTimeout(r, 10_000))]);
              expect(cliErr).toMatch(/migration of \S+ to d2-h1 failed while \w+/);
              expect(cliErr).not.toMatch(/failed while restoring/);
            }
            const live = copiesOf(lab, gpid).filter((c) => !c.frozen);
            table.push({ fault, phase: phase.name, outcome: host === B ? 'migrated' : 'rolled back', lost: live.length === 0 ? 1 : 0, duplicated: Math.max(0, live.length - 1), ms: Date.now() - t0 });
            expect(live).toHaveLength(1);
            passed = true;
          } finally {
            disarmFailpoint(lab, fpHost, phase.point);
            cli.kill('SIGKILL');
            await lab.healLink('d1').catch(() => undefined);
            // After a failure, leave the lab as the next case expects it: both daemons freshly
            // started and answering (nothing of this migration still in flight in them), and no
            // process of this job on any host.
            for (const h of [A, B]) {
              const ready = (await lab.status()).hosts.find((x) => x.id === h)?.daemonReady ?? false;
              if (!passed || !ready) {
                await lab.killDaemon(h, 'SIGKILL');
                await lab.startDaemon(h);
              }
            }
            await lab.zinc(A, ['kill', gpid]);
            if (!passed) {
              for (const c of copiesOf(lab, gpid)) {
                for (const pid of c.pids) {
                  try {
                    process.kill(pid, 'SIGKILL');
                  } catch {
                    // already gone
                  }
                }
              }
            }
          }
        });
      }
    }
  });
});

/** Aborted incoming migrations are kept a while so a source can still ask; they are not in flight. */
function isAbortedRecord(lab: Lab, host: string, id: string): boolean {
  try {
    const text = readFileSync(join(lab.host(host).stateDir, 'migrations', id, 'dest.json'), 'utf8');
    return /"phase":"aborted"/.test(text);
  } catch {
    return false;
  }
}
