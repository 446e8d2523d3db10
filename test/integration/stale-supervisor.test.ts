/**
 * Issue 11, case 3: a supervisor may only write the exit of the incarnation it supervises. A job
 * that left a host and came back has a new supervisor; one from its earlier stay that writes its
 * exit into the reused jobs/<gpid>/ctl/ folder must not make zincd record the running job as ended.
 * Real zincd, real supervisor; the stale write is made by hand, at a moment the test chooses.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGrid, waitUntil, type TestDaemon } from '../helpers/daemon.js';
import { missing, titled } from '../helpers/env.js';

const skip = missing({ root: true });

interface JobJson {
  state: string;
  shimPid: number;
  jobPid: number;
}

describe.skipIf(skip)(titled('an exit written by a supervisor of an earlier stay', skip), () => {
  const grid = new TestGrid();
  let d: TestDaemon;
  beforeAll(async () => {
    d = await grid.add({ hostId: 'stale' });
  });
  afterAll(() => grid.destroy());

  it('is ignored and removed, and the job runs on; its own supervisor\'s exit is still recorded', async () => {
    const gpid = await d.ok(['submit', '--', 'sleep', '600']);
    const j = await d.json<JobJson>(['show', gpid]);
    expect(j.state).toBe('JOB_STATE_RUNNING');
    const ctl = join(d.stateDir, 'jobs', gpid, 'ctl');
    // What the supervisor of an earlier stay writes when its (long gone) copy of the job ends.
    const stale = { signal: 9, core: false, at_ms: Date.now(), cpu_usec: 1, maxrss_kb: 1, shim_pid: j.shimPid + 100_000 };
    writeFileSync(join(ctl, 'exit.tmp'), JSON.stringify(stale));
    renameSync(join(ctl, 'exit.tmp'), join(ctl, 'exit'));
    await waitUntil('the stale exit file is removed', () => !existsSync(join(ctl, 'exit')), 10_000);
    await d.ok(['stop', gpid]); // any action re-reads the job's state under its lock
    await d.ok(['cont', gpid]);
    const after = await d.json<JobJson>(['show', gpid]);
    expect(after.state).toBe('JOB_STATE_RUNNING');
    expect(after.jobPid).toBe(j.jobPid);
    expect(d.log()).toMatch(/exit file written by a supervisor of an earlier stay; ignored/);

    // The real supervisor's exit still counts.
    await d.ok(['kill', gpid]);
    expect((await d.zinc(['wait', gpid])).code).toBe(137);
  });
});
