/**
 * The restore supervisor started ahead of a migration's commit (zinc-shim restore --wait-go):
 * everything that can happen before "go" does, so the job's downtime holds only CRIU itself.
 * CRIU is replaced by a small shell command here (a unit boundary): this is about the supervisor.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CgroupSet } from '../../daemon/cgroups/cgroup-set.js';
import { detectCgroups } from '../../daemon/cgroups/detect.js';
import { prepareRestore } from '../../daemon/jobs/launcher.js';
import { destroyCgroupTree, procsUnder } from '../helpers/cgroups.js';
import { waitUntil } from '../helpers/daemon.js';
import { missing, ROOT, SHIM, titled } from '../helpers/env.js';

const TESTJOB = join(ROOT, 'build', 'zinc-testjob');

const skip = missing({ root: true });
const ROOT_CG = `zinc-test/restore-supervisor-${process.pid}`;

describe.skipIf(skip)(titled('restore supervisor prepared ahead of time', skip), () => {
  const tmp = mkdtempSync(join(tmpdir(), 'zinc-prepared-'));
  afterAll(async () => {
    await destroyCgroupTree(ROOT_CG);
    rmSync(tmp, { recursive: true, force: true });
  });

  function prepared(name: string, criu?: (pidfile: string) => string[]) {
    const layout = detectCgroups();
    const job = new CgroupSet(layout, `${ROOT_CG}/${name}`);
    const shims = new CgroupSet(layout, `${ROOT_CG}/${name}-shims`);
    job.create();
    shims.create();
    const ctl = join(tmp, name);
    rmSync(ctl, { recursive: true, force: true });
    mkdirSync(ctl, { recursive: true });
    const ran = join(tmp, `${name}.ran`);
    const pidfile = join(ctl, 'restore.pid');
    // Stands in for `criu restore --restore-sibling -d`: leaves a process behind and its PID.
    const fakeCriu = criu ? criu(pidfile) : ['/bin/sh', '-c', `touch ${ran}; sleep 60 & echo $! > ${pidfile}`];
    const p = prepareRestore(SHIM, { gpid: name, ctlDir: ctl, pidfile, jobCgroupProcs: job.procsFiles(), shimCgroupProcs: shims.procsFiles(), criuArgv: fakeCriu });
    return { p, ran, ctl, rel: `${ROOT_CG}/${name}` };
  }

  it("joins the job's cgroups before go (a first cgroup move waits for an RCU grace period), and runs CRIU only on go", async () => {
    const { p, ran, rel } = prepared('go');
    // The gated CRIU child is already in the job's cgroup, and CRIU has not run.
    await waitUntil('the gated child in the job cgroup', () => procsUnder(rel).length === 1, 5000);
    // Named so that nobody mistakes it for (a copy of) the job.
    expect(readFileSync(`/proc/${procsUnder(rel)[0]}/comm`, 'utf8').trim()).toBe('zinc-restore');
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(ran)).toBe(false);
    const started = await p.go();
    expect(existsSync(ran)).toBe(true);
    expect(started.jobPid).toBeGreaterThan(0);
    expect(procsUnder(rel)).toContain(started.jobPid);
  });

  it('cancel before go runs nothing and leaves the job cgroup empty', async () => {
    const { p, ran, rel } = prepared('cancel');
    await waitUntil('the gated child in the job cgroup', () => procsUnder(rel).length === 1, 5000);
    p.cancel();
    await waitUntil('the job cgroup empty', () => procsUnder(rel).length === 0, 5000);
    expect(existsSync(ran)).toBe(false);
    expect(existsSync(join(tmp, 'cancel', 'running'))).toBe(false);
  });

  it('records the exit of a job that ends before CRIU itself has exited', async () => {
    // The restored job is the supervisor's child and can end while the supervisor still waits
    // for CRIU; its exit status must not be reaped and lost on the way (it was: the job was then
    // reported as lost, "its supervisor vanished").
    const { p, ctl } = prepared('early-exit', (pidfile) => [TESTJOB, 'sibling-exit', pidfile, '7']);
    const started = await p.go();
    expect(started.jobPid).toBeGreaterThan(0);
    const exitFile = join(ctl, 'exit');
    await waitUntil('the exit file', () => existsSync(exitFile), 5000);
    expect(JSON.parse(readFileSync(exitFile, 'utf8'))).toMatchObject({ code: 7 });
  });
});
