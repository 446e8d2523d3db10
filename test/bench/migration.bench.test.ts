/**
 * Issue 4 measurement: migration time of 5 MiB, 25 MiB and 256 MiB jobs, inside a domain and over a
 * 100 Mbit/s / 50 ms WAN link, against the floor measured in the same run on the same hosts:
 * raw `criu dump` (source host) + raw `criu restore` (destination host) + size ÷ TCP throughput
 * measured on that link + one measured RTT. Goal ≤ 1.3×. Also downtime with and without --lazy.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { waitUntil } from '../helpers/daemon.js';
import { criuPath, missing, ROOT, titled } from '../helpers/env.js';
import { jobFile, upLab, zincJson, zincOk, type Lab } from '../helpers/lab.js';
import { median, printTable, saveResults } from './report.js';

const TESTJOB = join(ROOT, 'build', 'zinc-testjob');
const SIZES = [5 * 1048576, 25 * 1048576, 256 * 1048576];
const REPS = Number(process.env.ZINC_BENCH_REPS ?? 3);
const skip = missing({ root: true, criu: true });

interface Summary {
  totalMs: number;
  downtimeMs: number;
  bytes: number;
  transferMs: number;
}

/** Run a shell snippet inside a lab host and return its stdout. */
async function sh(lab: Lab, host: string, script: string): Promise<string> {
  const r = await lab.exec(host, ['sh', '-c', script]);
  if (r.code !== 0) throw new Error(`${host}: ${script}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Raw CRIU floor: dump on `from`, move the images, restore on `to` (both inside the lab hosts). */
async function rawDumpRestore(lab: Lab, from: string, to: string, bytes: number): Promise<{ dump: number; restore: number }> {
  const criu = criuPath() as string;
  const dir = '/var/lib/zinc/rawbench';
  // Started from inside the state directory, as zinc's jobs are: CRIU's parasite mounts a private
  // /proc relative to the task's cwd, and that mount is refused in the directory the tests run from.
  // `$!` is unshare; its one child is the job. Found through the tree we started, never by name.
  await sh(lab, from, `rm -rf ${dir} && mkdir -p ${dir}/img && cd ${dir} && { unshare --pid --fork setsid ${TESTJOB} mem ${bytes} </dev/null >/dev/null 2>&1 & echo $! > ${dir}/unshare.pid; }`);
  const pid = await waitUntil('raw job', async () => {
    // Ready once unshare's child has exec'd the test job.
    const out = await sh(lab, from, `u=$(cat ${dir}/unshare.pid); for c in $(cat /proc/$u/task/$u/children 2>/dev/null); do [ "$(readlink /proc/$c/exe)" = ${TESTJOB} ] && echo $c; done; true`);
    return out ? Number(out) : undefined;
  }, 20_000);
  await new Promise((r) => setTimeout(r, bytes / 100_000)); // let it fill its memory
  await sh(lab, from, 'sync');
  // A failed CRIU run must fail the bench, not produce a fast "floor".
  const timed = (cmd: string, log: string) => `t=$(date +%s%N); ${cmd} || { tail -5 ${dir}/img/${log} >&2; exit 1; }; echo $(( ($(date +%s%N) - t) / 1000 ))`;
  const dump = Number(await sh(lab, from, timed(`${criu} dump -t ${pid} -D ${dir}/img -o dump.log`, 'dump.log'))) / 1000;
  rmSync(join(lab.host(to).stateDir, 'rawbench'), { recursive: true, force: true });
  cpSync(join(lab.host(from).stateDir, 'rawbench'), join(lab.host(to).stateDir, 'rawbench'), { recursive: true });
  await sh(lab, to, 'sync');
  const restore = Number(await sh(lab, to, `cd ${dir} && ${timed(`${criu} restore -d -D ${dir}/img -o restore.log --pidfile ${dir}/pid`, 'restore.log')}`)) / 1000;
  await sh(lab, to, `kill -9 $(cat ${dir}/pid); rm -rf ${dir}`);
  await sh(lab, from, `rm -rf ${dir}`);
  return { dump, restore };
}

describe.skipIf(skip)(titled('migration time vs the physical floor', skip), () => {
  let lab: Lab;
  const S = 'd1-h1';
  const LAN = 'd1-h2';
  const WAN = 'd2-h1';

  beforeAll(async () => {
    lab = await upLab({ name: 'mbench', domains: 2, hosts: 4, wanRate: '100mbit', wanDelayMs: 50, daemonArgs: ['--gossip-interval', '500ms'] });
    await waitUntil('view', async () => (await zincJson<unknown[]>(lab, S, ['hosts'])).length === 4, 20_000);
  });
  afterAll(() => lab?.down());

  it('measures', async () => {
    const links: Record<string, { rttMs: number; mbit: number }> = {};
    for (const to of [LAN, WAN]) {
      const m = await lab.measure(S, to, { seconds: 5 });
      links[to] = { rttMs: m.rttMs.median, mbit: m.throughputMbit };
    }
    const rows: Array<Array<string | number>> = [];
    const results: Record<string, unknown> = {};
    for (const size of SIZES) {
      for (const to of [LAN, WAN]) {
        const link = links[to] as { rttMs: number; mbit: number };
        const zinc: Summary[] = [];
        const floor: number[] = [];
        for (let r = 0; r < REPS; r++) {
          const raw = await rawDumpRestore(lab, S, to, size);
          const wire = ((size * 8) / (link.mbit * 1e6)) * 1000;
          floor.push(raw.dump + raw.restore + wire + link.rttMs);
          const g = await zincOk(lab, S, ['submit', '--host', S, '--', TESTJOB, 'mem', String(size)]);
          await waitUntil('ready', () => jobFile(lab, S, g, 'stdout').startsWith('ready'), 60_000);
          await sh(lab, S, 'sync');
          zinc.push(await zincJson<Summary>(lab, S, ['migrate', g, '--to', to]));
          await zincOk(lab, S, ['kill', g]);
        }
        const z = median(zinc.map((s) => s.totalMs));
        const f = median(floor);
        results[`${size}-${to}`] = { zinc, floor, link };
        rows.push([`${(size / 1048576).toFixed(0)} MiB`, to === LAN ? 'LAN' : 'WAN 100M/50ms', f, z, z / f, median(zinc.map((s) => s.downtimeMs))]);
      }
    }
    // Downtime with and without post-copy, 256 MiB, inside a domain.
    const down: Array<Array<string | number>> = [];
    for (const lazy of [false, true]) {
      const d: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const g = await zincOk(lab, S, ['submit', '--host', S, '--', TESTJOB, 'ticks', String(256 << 20)]);
        await waitUntil('ticking', () => jobFile(lab, S, g, 'stdout').length > 2000, 30_000);
        await zincJson<Summary>(lab, S, ['migrate', g, '--to', LAN, ...(lazy ? ['--lazy'] : [])]);
        await new Promise((res) => setTimeout(res, 300));
        const ts = jobFile(lab, LAN, g, 'stdout').trim().split('\n').map(Number);
        let gap = 0;
        for (let i = 1; i < ts.length; i++) gap = Math.max(gap, (ts[i] ?? 0) - (ts[i - 1] ?? 0));
        d.push(gap / 1000);
        await zincOk(lab, S, ['kill', g]);
      }
      down.push([lazy ? 'post-copy (--lazy)' : 'stop-and-copy', median(d), Math.max(...d)]);
    }
    printTable(`links measured: ${Object.entries(links).map(([h, l]) => `${h} ${l.mbit.toFixed(0)} Mbit/s, RTT ${l.rttMs.toFixed(1)} ms`).join('; ')}`, ['', ''], []);
    printTable(`migration time (ms, median of ${REPS}); floor = raw dump + raw restore + size/measured rate + RTT; goal ≤ 1.3×`, ['size', 'link', 'floor', 'zinc', 'ratio', 'downtime'], rows);
    printTable('downtime of a 256 MiB job, seen by the job (largest gap in its own 1 ms ticks, ms)', ['mode', 'median', 'max'], down);
    saveResults('migration', { links, results, down });
  }, 3_600_000);
});
