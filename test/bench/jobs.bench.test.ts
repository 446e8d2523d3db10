/**
 * Issue 2 measurement: submit-to-running latency (p50/p99 over 200 submits) against the physical
 * floor of starting the same supervised process directly; per-job supervisor memory; idle zincd
 * CPU and memory with and without 200 running jobs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ZincClient } from '../../cli/client.js';
import { TestGrid, type TestDaemon } from '../helpers/daemon.js';
import { missing, SHIM, titled } from '../helpers/env.js';
import { percentile, printTable, saveResults } from './report.js';

const N = Number(process.env.ZINC_BENCH_SUBMITS ?? 200);
const skip = missing({ root: true });

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}
async function idleCpuPercent(pid: number, seconds: number): Promise<number> {
  const a = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return ((cpuTicks(pid) - a) / 100 / seconds) * 100; // clock ticks are 1/100 s
}

/** The floor: start the same supervisor + job directly (what zinc does, minus zinc). */
function rawStart(dir: string, i: number): Promise<{ ms: number; shim: number }> {
  const ctl = join(dir, `raw${i}`);
  mkdirSync(join(ctl, 'work'), { recursive: true });
  writeFileSync(join(ctl, 'argv'), ['sleep', '600', ''].join('\0'));
  writeFileSync(join(ctl, 'env'), 'PATH=/usr/bin:/bin\0');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(SHIM, ['run', '--ctl', ctl, '--stdout', join(ctl, 'out'), '--stderr', join(ctl, 'err'), '--cwd', join(ctl, 'work'), '--user', 'root', '--uid', '0', '--gid', '0', '--argv-file', join(ctl, 'argv'), '--env-file', join(ctl, 'env')], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => {
      const m = /^ok (\d+) (\d+)/.exec(out);
      if (!m) return reject(new Error(out));
      resolve({ ms: performance.now() - t0, shim: Number(m[1]) });
      process.kill(Number(m[2]), 'SIGKILL');
    });
  });
}

describe.skipIf(skip)(titled('jobs: latency and footprint', skip), () => {
  const grid = new TestGrid();
  let d: TestDaemon;
  const scratch = mkdtempSync(join(tmpdir(), 'zinc-bench-jobs-'));
  beforeAll(async () => {
    d = await grid.add({ hostId: 'bench' });
  });
  afterAll(async () => {
    await grid.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('measures', async () => {
    const idleEmpty = { cpu: await idleCpuPercent(d.pid as number, 5), rss: rssKiB(d.pid as number) };
    const raw: number[] = [];
    for (let i = 0; i < 50; i++) raw.push((await rawStart(scratch, i)).ms);
    const client = new ZincClient(d.socket);
    const lat: number[] = [];
    const gpids: string[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const r = await client.call(client.jobs, 'submit', { spec: { argv: ['sleep', '600'] }, host: '', domain: '' });
      lat.push(performance.now() - t0);
      gpids.push(r.gpid);
    }
    // End to end through the CLI process, as a user types it (includes Node start-up).
    const cli: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await d.ok(['submit', '--', 'sleep', '600']);
      cli.push(performance.now() - t0);
    }
    const shims = (await d.json<Array<{ shimPid: number }>>(['ps'])).map((j) => j.shimPid).filter(Boolean);
    const shimRss = shims.map(rssKiB);
    const idleFull = { cpu: await idleCpuPercent(d.pid as number, 10), rss: rssKiB(d.pid as number) };
    client.close();

    const rawP50 = percentile(raw, 50);
    printTable(`submit → running (ms), ${N} submits; floor = starting the same supervised job directly`, ['measure', 'p50', 'p99', 'ratio p50'], [
      ['raw supervisor start (floor)', rawP50, percentile(raw, 99), 1],
      ['zinc Submit RPC (running on return)', percentile(lat, 50), percentile(lat, 99), percentile(lat, 50) / rawP50],
      ['zinc submit CLI, end to end (20)', percentile(cli, 50), percentile(cli, 99), percentile(cli, 50) / rawP50],
    ]);
    printTable('footprint', ['measure', 'value'], [
      ['supervisor RSS per job, mean (KiB)', shimRss.reduce((a, b) => a + b, 0) / Math.max(1, shimRss.length)],
      ['supervisor RSS per job, max (KiB)', Math.max(...shimRss)],
      ['zincd idle CPU, no jobs (% of a core)', idleEmpty.cpu],
      ['zincd RSS, no jobs (MiB)', idleEmpty.rss / 1024],
      [`zincd idle CPU, ${shims.length} jobs (% of a core)`, idleFull.cpu],
      [`zincd RSS, ${shims.length} jobs (MiB)`, idleFull.rss / 1024],
    ]);
    saveResults('jobs', { raw, lat, cli, shimRss, idleEmpty, idleFull });
  }, 600_000);
});
