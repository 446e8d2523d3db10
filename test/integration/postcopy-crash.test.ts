/**
 * Issue 11, case 1: the source zincd is SIGKILLed after `criu dump --lazy-pages` has seized the
 * job and serves its pages, before the destination restores. The restarted source must roll back
 * to a job that really runs: no CRIU left tracing it, exactly one unfrozen copy, output advancing.
 * The first suite checks the two mechanisms on their own with real processes and real ptrace
 * (no CRIU): zinc-shim's guard, and releasing a job seized by a leftover tracer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { releaseSeizedJob } from '../../daemon/criu/seized.js';
import { waitUntil } from '../helpers/daemon.js';
import { missing, ROOT, SHIM, titled, ZINC } from '../helpers/env.js';
import {
  armFailpoint,
  copiesOf,
  disarmFailpoint,
  jobFile,
  keepLabLogs,
  migrationLeftovers,
  upLab,
  waitFailpointHit,
  zincJson,
  zincOk,
  type Lab,
} from '../helpers/lab.js';

const TESTJOB = join(ROOT, 'build', 'zinc-testjob');
const skip = missing({ root: true, criu: true });
const skipHelpers = missing({ root: true });

/** The job's timestamps (µs), complete lines only. */
function ticks(text: string): number[] {
  return text.split('\n').slice(0, -1).map(Number).filter((n) => Number.isFinite(n) && n > 0);
}

/** The pid tracing `pid` (0: none), or undefined when it is gone. */
function tracerOf(pid: number): number | undefined {
  try {
    const m = /^TracerPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

describe.skipIf(skip)(titled('post-copy: source zincd killed while CRIU seizes the job (real CRIU)', skip), () => {
  let lab: Lab;
  const A = 'd1-h1';
  const B = 'd2-h1';

  beforeAll(async () => {
    lab = await upLab({
      name: 'pcrash',
      domains: 2,
      hosts: 2,
      daemonArgs: ['--failpoints', '/var/lib/zinc/failpoints', '--accept-domains', 'd1,d2', '--gossip-interval', '500ms'],
    });
    await waitUntil('both hosts know each other', async () => (await zincJson<unknown[]>(lab, A, ['hosts'])).length === 2, 30_000);
  });
  afterAll(async () => {
    await lab?.down();
  });

  it('after "dump ready; serving pages" a SIGKILL of the source leaves exactly one running, unseized copy on the source', async () => {
    onTestFailed(() => {
      process.stderr.write(`\npost-copy crash test failed; ${keepLabLogs(lab, 'postcopy-crash', [A, B], 30)}\n`);
    });
    // `ticks`: a timestamp every millisecond, and 8 MiB of memory for the page server to serve.
    const gpid = await zincOk(lab, A, ['submit', '--host', A, '--', TESTJOB, 'ticks', String(8 << 20)]);
    await waitUntil('ticking', () => ticks(jobFile(lab, A, gpid, 'stdout')).length >= 50, 20_000);
    armFailpoint(lab, A, 'migrate.serving', 60_000);
    const cli: ChildProcess = spawn(process.execPath, [ZINC, '--socket', lab.host(A).socket, 'migrate', gpid, '--to', B, '--lazy', '--json'], { stdio: 'ignore' });
    try {
      await waitFailpointHit(lab, A, 'migrate.serving', 60_000);
      // The fault this test is about: CRIU holds the job under ptrace right now.
      const seized = copiesOf(lab, gpid).flatMap((c) => c.pids);
      expect(seized.length).toBeGreaterThan(0);
      expect(seized.every((p) => (tracerOf(p) ?? 0) > 0)).toBe(true);

      await lab.killDaemon(A, 'SIGKILL');
      disarmFailpoint(lab, A, 'migrate.serving');
      await new Promise((r) => setTimeout(r, 500));
      await lab.startDaemon(A);

      await waitUntil('rolled back', () => {
        const c = copiesOf(lab, gpid);
        return c.length === 1 && c[0]?.host === A && !c[0].frozen && migrationLeftovers(lab, A).length === 0;
      }, 60_000, 200);
      const pids = copiesOf(lab, gpid).flatMap((c) => c.pids);
      expect(pids.map((p) => tracerOf(p) ?? 0)).toEqual(pids.map(() => 0));

      const before = ticks(jobFile(lab, A, gpid, 'stdout')).length;
      await waitUntil('ticking again after the rollback', () => ticks(jobFile(lab, A, gpid, 'stdout')).length > before + 100, 20_000);
      // One writer all along: the timestamps only ever increase (a second copy would interleave).
      const ts = ticks(jobFile(lab, A, gpid, 'stdout'));
      expect(ts.every((t, i) => i === 0 || t > (ts[i - 1] ?? 0))).toBe(true);
      const live = copiesOf(lab, gpid).filter((c) => !c.frozen);
      expect(live.map((c) => c.host)).toEqual([A]);
      const show = await zincJson<{ state: string; host: string }>(lab, A, ['show', gpid]);
      expect(show.host).toBe(A);
      expect(show.state).toMatch(/running/i);
    } finally {
      disarmFailpoint(lab, A, 'migrate.serving');
      cli.kill('SIGKILL');
      if (!(await lab.status()).hosts.find((x) => x.id === A)?.daemonAlive) await lab.startDaemon(A);
      await lab.zinc(A, ['kill', gpid]);
    }
  });
});

/** Children of `pid` (from /proc), or [] when it is gone. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function killIfRunning(pid: number | undefined): void {
  if (pid && running(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** A stand-in for zincd: a node process that starts `sleep` as a CRIU helper would be started
 * (plain spawn as before issue 11, or under the guard), optionally keep()s it, and prints its pid. */
function startParent(mode: 'plain' | 'guarded' | 'kept'): Promise<{ parent: ChildProcess; helper: number }> {
  const guarded = join(ROOT, 'dist', 'daemon', 'criu', 'guarded.js');
  const code = `
    const { spawn } = await import('node:child_process');
    const { spawnGuarded } = await import(${JSON.stringify(guarded)});
    let pid;
    if (${JSON.stringify(mode)} === 'plain') pid = spawn('/bin/sleep', ['1000'], { stdio: 'ignore' }).pid;
    else {
      const h = spawnGuarded(${JSON.stringify(SHIM)}, ['/bin/sleep', '1000'], []);
      if (${JSON.stringify(mode)} === 'kept') await h.keep();
      pid = h.child.pid;
    }
    process.stdout.write(String(pid) + '\\n');
    setInterval(() => undefined, 1000);`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    parent.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      const direct = Number(out.trim());
      // Under the guard the helper is the guard's child.
      if (mode === 'plain') return resolve({ parent, helper: direct });
      void waitUntil('the guarded helper', () => childrenOf(direct)[0], 5000, 10).then((helper) => resolve({ parent, helper }), reject);
    });
    parent.on('exit', () => reject(new Error(`the stand-in parent exited early: ${out}`)));
  });
}

const TRACER = String.raw`
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
pid = int(sys.argv[-1])
if libc.ptrace(0x4206, pid, None, None) != 0: sys.exit(2)   # PTRACE_SEIZE
if libc.ptrace(0x4207, pid, None, None) != 0: sys.exit(3)   # PTRACE_INTERRUPT
os.waitpid(pid, 0x40000000)                                 # __WALL: until it is in the trap
print('seized', flush=True)
time.sleep(1000)
`;

describe.skipIf(skipHelpers)(titled('helpers that can hold a job, without CRIU (real processes, real ptrace)', skipHelpers), () => {
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started) killIfRunning(pid);
  });

  it('before issue 11: a helper spawned plainly survives its parent\'s SIGKILL (the orphan this fixes)', async () => {
    const { parent, helper } = await startParent('plain');
    started.push(helper);
    parent.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    expect(running(helper)).toBe(true);
    killIfRunning(helper);
  });

  it('under zinc-shim guard the helper dies with its parent', async () => {
    const { parent, helper } = await startParent('guarded');
    started.push(helper);
    expect(running(helper)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntil('the helper is gone', () => !running(helper), 5000, 20);
  });

  it('after keep() the helper outlives its parent (its work was promised to a peer)', async () => {
    const { parent, helper } = await startParent('kept');
    started.push(helper);
    parent.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    expect(running(helper)).toBe(true);
    killIfRunning(helper);
  });

  it('the guard exits as its helper did', async () => {
    const { spawnGuarded } = await import('../../daemon/criu/guarded.js');
    const ok = spawnGuarded(SHIM, ['/bin/sh', '-c', 'exit 3'], []);
    await ok.keep();
    expect(await new Promise((r) => ok.child.on('exit', (code, sig) => r([code, sig])))).toEqual([3, null]);
    const killed = spawnGuarded(SHIM, ['/bin/sleep', '1000'], []);
    await waitUntil('started', () => childrenOf(killed.child.pid ?? 0)[0], 5000, 10);
    killed.kill();
    expect(await new Promise((r) => killed.child.on('exit', (code, sig) => r([code, sig])))).toEqual([null, 'SIGKILL']);
  });

  it('a seized job: SIGCONT does not resume it; releaseSeizedJob kills only our verified tracer, and it runs again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zinc-seized-'));
    try {
      const out = join(dir, 'stdout');
      writeFileSync(out, '');
      // The "job": its output goes to a file, whose size tells whether it runs.
      const ticker = spawn('/bin/sh', ['-c', `exec ${TESTJOB} ticks > ${out}`], { stdio: 'ignore', detached: true });
      const pid = ticker.pid ?? 0;
      started.push(pid);
      await waitUntil('ticking', () => statSync(out).size > 1000, 5000, 20);
      const images = join(dir, 'images');
      const tracer = spawn('python3', ['-c', TRACER, 'dump', '-D', images, '-t', String(pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
      started.push(tracer.pid ?? 0);
      await new Promise<void>((resolve, reject) => {
        tracer.stdout?.once('data', () => resolve());
        tracer.once('exit', (c) => reject(new Error(`tracer exited ${c}`)));
      });
      const tracerPid = tracer.pid ?? 0;
      expect(tracerOf(pid)).toBe(tracerPid);
      const stalled = statSync(out).size;
      process.kill(pid, 'SIGCONT'); // what the old rollback relied on
      await new Promise((r) => setTimeout(r, 300));
      expect(statSync(out).size).toBe(stalled);

      const log = pino({ level: 'silent' });
      const exe = readlinkSync(`/proc/${tracerPid}/exe`);
      // Not ours (another executable, or another job's images): left alone.
      expect(await releaseSeizedJob({ gpid: 't.1', pids: () => [pid], own: { exes: ['/nonexistent/criu'], imagesDirs: [images] }, log })).toEqual([]);
      expect(await releaseSeizedJob({ gpid: 't.1', pids: () => [pid], own: { exes: [exe], imagesDirs: [join(dir, 'other')] }, log })).toEqual([]);
      expect(running(tracerPid)).toBe(true);
      // Ours: killed, waited for, and the job runs again.
      expect(await releaseSeizedJob({ gpid: 't.1', pids: () => [pid], own: { exes: [exe], imagesDirs: [images] }, log })).toEqual([tracerPid]);
      expect(tracerOf(pid)).toBe(0);
      await waitUntil('ticking again', () => statSync(out).size > stalled + 1000, 5000, 20);
      killIfRunning(pid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
