/**
 * Issue 3 measurement: zinc checkpoint and restart against raw `criu dump` / `criu restore` of an
 * equal process, in the same run, alternating so both see the same page-cache and writeback state.
 * Sizes: the seed's p1 (5,335,040 B) and p2 (26,306,560 B), and 512 MiB.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TestGrid, waitUntil, type TestDaemon } from '../helpers/daemon.js';
import { criuPath, missing, ROOT, titled } from '../helpers/env.js';
import { median, printTable, saveResults } from './report.js';

const TESTJOB = join(ROOT, 'build', 'zinc-testjob');
const SIZES = [5_335_040, 26_306_560, 512 * 1024 * 1024];
const REPS = Number(process.env.ZINC_BENCH_REPS ?? 3);
const skip = missing({ root: true, criu: true });

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function settle(): void {
  execFileSync('sync');
}

/**
 * Start the test job the way DESIGN.md's verified recipe does: own PID namespace, session leader.
 * Its PID is taken from the process tree we spawned (sh execs unshare, whose one child is the job),
 * never looked up by name.
 */
async function rawJob(dir: string, bytes: number): Promise<number> {
  const out = join(dir, 'out');
  const child = spawn('sh', ['-c', `exec unshare --pid --fork setsid ${TESTJOB} mem ${bytes} </dev/null >${out} 2>/dev/null`], { detached: true, stdio: 'ignore' });
  child.unref();
  const unsharePid = child.pid;
  if (!unsharePid) throw new Error('could not start the raw job');
  await waitUntil('raw job ready', () => existsSync(out) && readFileSync(out, 'utf8').startsWith('ready'), 60_000);
  const pid = Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(' ')[0]);
  if (!pid) throw new Error(`raw job: unshare (PID ${unsharePid}) has no child`);
  return pid;
}

describe.skipIf(skip)(titled('checkpoint/restart vs raw CRIU', skip), () => {
  const grid = new TestGrid();
  let d: TestDaemon;
  const criu = criuPath() as string;
  const scratch = join(ROOT, '.zinc-out', 'bench-ckpt');

  beforeAll(async () => {
    d = await grid.add({ hostId: 'bench' });
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
  });
  afterAll(async () => {
    await grid.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('measures', async () => {
    const rows: Array<Array<string | number>> = [];
    const results: Record<string, unknown> = {};
    for (const size of SIZES) {
      const rawDump: number[] = [];
      const rawRestore: number[] = [];
      const zDump: number[] = [];
      const zFrozen: number[] = [];
      const zRestart: number[] = [];
      const zCliCk: number[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        // --- raw CRIU
        const dir = join(scratch, `raw-${size}-${rep}`);
        mkdirSync(join(dir, 'img'), { recursive: true });
        const pid = await rawJob(dir, size);
        settle();
        let t = process.hrtime.bigint();
        execFileSync(criu, ['dump', '-t', String(pid), '-D', join(dir, 'img'), '-o', 'dump.log']);
        rawDump.push(ms(t));
        settle();
        t = process.hrtime.bigint();
        execFileSync(criu, ['restore', '-d', '-D', join(dir, 'img'), '-o', 'restore.log', '--pidfile', join(dir, 'restored.pid')]);
        rawRestore.push(ms(t));
        // The restored job is its PID namespace's init: killing it ends the namespace.
        process.kill(Number(readFileSync(join(dir, 'restored.pid'), 'utf8').trim()), 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        settle();

        // --- zinc
        const gpid = await d.ok(['submit', '--', TESTJOB, 'mem', String(size)]);
        await waitUntil('zinc job ready', () => d.readFileInJob(gpid, 'stdout').startsWith('ready'), 60_000);
        settle();
        t = process.hrtime.bigint();
        const ck = JSON.parse(await d.ok(['checkpoint', gpid, '--json'])) as { totalMs: number; frozenMs: number };
        zCliCk.push(ms(t));
        zDump.push(ck.totalMs);
        zFrozen.push(ck.frozenMs);
        settle();
        const rs = JSON.parse(await d.ok(['restart', gpid, '--json'])) as { restoreMs: number };
        zRestart.push(rs.restoreMs);
        await d.ok(['kill', '--signal', 'USR1', gpid]);
        const w = await d.zinc(['wait', gpid]);
        if (w.code !== 0) throw new Error(`memory check failed after restart (${w.code})`);
        rmSync(join(d.stateDir, 'jobs', gpid), { recursive: true, force: true });
        settle();
      }
      const r = {
        size,
        rawDump: median(rawDump),
        zincCheckpoint: median(zDump),
        zincFrozen: median(zFrozen),
        zincCli: median(zCliCk),
        rawRestore: median(rawRestore),
        zincRestart: median(zRestart),
      };
      results[String(size)] = { ...r, samples: { rawDump, zDump, zFrozen, zCliCk, rawRestore, zRestart } };
      rows.push([
        `${(size / 1048576).toFixed(1)} MiB`,
        r.rawDump, r.zincCheckpoint, r.zincCheckpoint / r.rawDump, r.zincFrozen, r.zincCli,
        r.rawRestore, r.zincRestart, r.zincRestart / r.rawRestore,
      ]);
    }
    printTable(
      `checkpoint & restart vs raw CRIU (median of ${REPS}, ms; ratio goal ≤ 1.2)`,
      ['size', 'raw dump', 'zinc ckpt', 'ratio', 'frozen', 'zinc CLI', 'raw restore', 'zinc restart', 'ratio'],
      rows,
    );
    process.stdout.write(`saved ${saveResults('checkpoint', results)}\n`);
  });
});
