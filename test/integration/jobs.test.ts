/**
 * Issue 2 acceptance: real zincd processes, real jobs in PID namespaces and cgroups.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procsUnder } from '../helpers/cgroups.js';
import { run, TestGrid, waitUntil, type TestDaemon } from '../helpers/daemon.js';
import { missing, titled, ZINCD } from '../helpers/env.js';

interface JobJson {
  gpid: string;
  state: string;
  host: string;
  exit: { ended: boolean; code: number; signal: string };
  usage: { cpuUsec: number; peakRssBytes: number };
  events: Array<{ type: string; message: string }>;
  jobPid: number;
  jobDir: string;
  cwd: string;
}

const skip = missing({ root: true });

describe.skipIf(skip)(titled('jobs on one and two hosts', skip), () => {
  const grid = new TestGrid();
  let a: TestDaemon;

  beforeAll(async () => {
    a = await grid.add({ hostId: 'alpha', domain: 'd1' });
    // A second host in another domain: the jobs below reach it by name (--host beta).
    await grid.add({ hostId: 'beta', domain: 'd2', peers: [a.address] });
  });
  afterAll(() => grid.destroy());

  it('runs a job, waits for its exit code, and shows exit, CPU time and events', async () => {
    const gpid = await a.ok(['submit', '--host', 'alpha', '--', 'sh', '-c', 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 1; exit 3']);
    expect(gpid).toMatch(/^alpha\.\d+$/);
    const w = await a.zinc(['wait', gpid]);
    expect(w.code).toBe(3);
    const j = await a.json<JobJson>(['show', gpid]);
    expect(j.state).toBe('JOB_STATE_EXITED');
    expect(j.exit).toMatchObject({ ended: true, code: 3 });
    expect(j.usage.cpuUsec).toBeGreaterThan(10_000);
    expect(j.usage.peakRssBytes).toBeGreaterThan(0);
    expect(j.events.map((e) => e.type)).toEqual(['submitted', 'started', 'exited']);
    const human = await a.ok(['show', gpid]);
    expect(human).toMatch(/State\s+exited\(3\)/);
    expect(human).toMatch(/CPU time\s+0\.\d+s/);
  });

  it('isolates a job: own PID namespace, session leader, stdin /dev/null, work/ dir, output files', async () => {
    const gpid = await a.ok([
      'submit', '--host', 'alpha', '--env', 'GREETING=hi', '--',
      'sh', '-c', 'echo "pid=$$ cwd=$(pwd) g=$GREETING"; readlink /proc/self/fd/0; echo err >&2; sleep 600',
    ]);
    // Seen from the host: the job's root process leads its own session and process group.
    const pid = (await a.json<JobJson>(['show', gpid])).jobPid;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    expect(Number(stat[2])).toBe(pid); // pgrp
    expect(Number(stat[3])).toBe(pid); // session
    await waitUntil('output', async () => (await a.ok(['logs', '--stderr', gpid])) === 'err');
    await a.ok(['kill', gpid]);
    const out = (await a.ok(['logs', gpid])).split('\n');
    expect(out[0]).toMatch(/^pid=1 cwd=.*\/jobs\/alpha\.\d+\/files\/work g=hi$/);
    expect(out[1]).toBe('/dev/null');
    expect(await a.ok(['logs', '--stderr', gpid])).toBe('err');
  });

  it('runs as --user with --cwd', async () => {
    const gpid = await a.ok(['submit', '--host', 'alpha', '--user', 'nobody', '--cwd', '/tmp', '--', 'sh', '-c', 'id -un; pwd']);
    expect((await a.zinc(['wait', gpid])).code).toBe(0);
    expect(await a.ok(['logs', gpid])).toBe('nobody\n/tmp');
  });

  it('stops, continues and kills the whole tree, including a double-forked setsid grandchild', async () => {
    const beat = join(a.stateDir, 'beat');
    // The grandchild escapes its parent (double fork) and its session (setsid) and keeps beating.
    const script = `(setsid sh -c 'while :; do echo x >> ${beat}; sleep 0.05; done' &) ; sleep 600`;
    const gpid = await a.ok(['submit', '--host', 'alpha', '--', 'sh', '-c', script]);
    const cg = a.jobCgroup(gpid);
    await waitUntil('grandchild beating', () => existsSync(beat) && statSync(beat).size > 10);
    const pids = procsUnder(cg);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    const sessions = new Set(pids.map((p) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[3]));
    expect(sessions.size).toBeGreaterThanOrEqual(2); // the grandchild really is in another session

    expect(await a.ok(['stop', gpid])).toMatch(/stopped/);
    expect(frozen(cg)).toBe(true);
    const size1 = statSync(beat).size;
    await new Promise((r) => setTimeout(r, 400));
    expect(statSync(beat).size).toBe(size1); // nothing in the tree ran

    expect(await a.ok(['cont', gpid])).toMatch(/running/);
    await waitUntil('grandchild beating again', () => statSync(beat).size > size1);
    expect(frozen(cg)).toBe(false);

    const before = procsUnder(cg);
    expect(await a.ok(['kill', gpid])).toMatch(/killed\(SIGKILL\)/);
    for (const p of before) expect(existsSync(`/proc/${p}`) && !isZombie(p)).toBe(false);
    expect(procsUnder(cg)).toEqual([]);
    const size2 = statSync(beat).size;
    await new Promise((r) => setTimeout(r, 200));
    expect(statSync(beat).size).toBe(size2);
  });

  it('kill --signal TERM reaches every process of the tree', async () => {
    const gpid = await a.ok(['submit', '--host', 'alpha', '--', 'sh', '-c', 'sleep 600 & sleep 600 & wait']);
    await waitUntil('children', () => procsUnder(a.jobCgroup(gpid)).length >= 3);
    await a.ok(['kill', '--signal', 'TERM', gpid]);
    const r = await a.zinc(['wait', gpid]);
    expect([0, 143]).toContain(r.code);
    expect(procsUnder(a.jobCgroup(gpid))).toEqual([]);
  });

  it('survives kill -9 of zincd: re-adopts running jobs and records exits that happened meanwhile', async () => {
    const j1 = await a.ok(['submit', '--host', 'alpha', '--', 'sleep', '600']);
    const j2 = await a.ok(['submit', '--host', 'alpha', '--', 'sleep', '600']);
    const j3 = await a.ok(['submit', '--host', 'alpha', '--', 'sh', '-c', 'sleep 1; exit 7']);
    await a.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1800)); // j3 ends while zincd is down
    await a.start();
    const list = await a.json<JobJson[]>(['ps', '-a']);
    const byId = new Map(list.map((j) => [j.gpid, j]));
    expect(byId.get(j1)?.state).toBe('JOB_STATE_RUNNING');
    expect(byId.get(j2)?.state).toBe('JOB_STATE_RUNNING');
    expect(byId.get(j3)?.state).toBe('JOB_STATE_EXITED');
    expect(byId.get(j3)?.exit.code).toBe(7);
    expect((await a.zinc(['wait', j3])).code).toBe(7);
    expect(await a.ok(['stop', j1])).toMatch(/stopped/);
    expect(await a.ok(['kill', j1])).toMatch(/killed/);
    expect(await a.ok(['kill', j2])).toMatch(/killed/);
    expect(procsUnder(a.jobCgroup(j1))).toEqual([]);
    expect(procsUnder(a.jobCgroup(j2))).toEqual([]);
    const events = (await a.json<JobJson>(['show', j2])).events.map((e) => e.type);
    expect(events).toContain('adopted');
  });

  it('SIGTERM stops zincd and leaves jobs running', async () => {
    const gpid = await a.ok(['submit', '--host', 'alpha', '--', 'sleep', '600']);
    const pid = (await a.json<JobJson>(['show', gpid])).jobPid;
    await a.stop('SIGTERM');
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    await a.start();
    expect((await a.json<JobJson>(['show', gpid])).state).toBe('JOB_STATE_RUNNING');
    await a.ok(['kill', gpid]);
  });

  it('moves a corrupt job record aside and still starts', async () => {
    const gpid = await a.ok(['submit', '--host', 'alpha', '--', 'true']);
    await a.zinc(['wait', gpid]);
    await a.stop('SIGTERM');
    writeFileSync(join(a.stateDir, 'jobs', gpid, 'job.json'), '{"format": 1, "gpid": ');
    await a.start();
    expect(a.log()).toMatch(/corrupt job record moved aside/);
    expect(readdirSync(join(a.stateDir, 'corrupt')).some((n) => n.startsWith(gpid))).toBe(true);
    const r = await a.zinc(['show', gpid]);
    expect(r.code).toBe(4);
  });

  it('forwards to another host: submit --host, ps --host, wait, show, logs and kill from the first', async () => {
    await waitUntil('alpha knows beta', async () => (await a.zinc(['submit', '--host', 'beta', '--', 'true'])).code === 0);
    const gpid = await a.ok(['submit', '--host', 'beta', '--', 'sh', '-c', 'echo on-beta; sleep 0.5; exit 4']);
    expect(gpid).toMatch(/^alpha\.\d+$/); // the home is where it was submitted
    // -a: under load the job (0.5 s) may have ended before this CLI call is answered.
    const onB = await a.json<JobJson[]>(['ps', '-a', '--host', 'beta']);
    expect(onB.find((j) => j.gpid === gpid)?.host).toBe('beta');
    expect((await a.zinc(['wait', gpid])).code).toBe(4);
    expect(await a.ok(['logs', gpid])).toBe('on-beta');
    expect((await a.json<JobJson>(['show', gpid])).host).toBe('beta');
    const home = await waitUntil('home record updated', async () => {
      const list = await a.json<JobJson[]>(['ps', '-a']);
      const j = list.find((x) => x.gpid === gpid);
      return j?.state === 'JOB_STATE_EXITED' ? j : undefined;
    });
    expect(home.host).toBe('beta');
    const long = await a.ok(['submit', '--host', 'beta', '--', 'sleep', '600']);
    expect(await a.ok(['kill', long])).toMatch(/killed/);
  });

  describe('bad input: one line, non-zero exit, nothing changes', () => {
    async function jobCount(d: TestDaemon): Promise<number> {
      return readdirSync(join(d.stateDir, 'jobs')).length;
    }
    async function expectRefused(args: string[], code: number, pattern: RegExp, d: TestDaemon = a): Promise<void> {
      const before = await jobCount(d);
      const r = await d.zinc(args);
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(await jobCount(d)).toBe(before);
    }

    it('unknown GPID', () => expectRefused(['show', 'alpha.99999'], 4, /no job alpha\.99999/));
    it('malformed GPID', () => expectRefused(['wait', 'not-a-gpid'], 2, /is not a GPID/));
    it('unknown GPID on another host', () => expectRefused(['kill', 'beta.424242'], 4, /no job beta\.424242/));
    it('no command after --', () => expectRefused(['submit', '--'], 2, /no command given/));
    it('unknown user', () => expectRefused(['submit', '--user', 'no-such-user-zz', '--', 'true'], 2, /unknown user "no-such-user-zz"/));
    it('missing --cwd', () => expectRefused(['submit', '--cwd', '/no/such/dir', '--', 'true'], 2, /\/no\/such\/dir .*does not exist/));
    it('command not found', () => expectRefused(['submit', '--', 'no-such-command-zz'], 2, /command not found/));
    it('bad --mem', () => expectRefused(['submit', '--mem', 'lots', '--', 'true'], 2, /invalid --mem/));
    it('unknown --host', () => expectRefused(['submit', '--host', 'gamma', '--', 'true'], 4, /unknown host "gamma"/));
    it('unknown signal', () => expectRefused(['kill', '--signal', 'NOPE', 'alpha.1'], 2, /unknown signal/));

    it('daemon not running says how to start it', async () => {
      const r = await run(process.execPath, [ZINCD.replace('daemon/main.js', 'cli/main.js'), '--socket', '/tmp/zinc-no-such.sock', 'ps']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/zincd is not running .* Start it as root with `zincd`/);
    });

    it('unreachable --host', async () => {
      const c = await grid.add({ hostId: 'gamma', peers: [a.address] });
      await waitUntil('alpha knows gamma', async () => (await a.zinc(['hosts'])).stdout.includes('gamma') || (await a.zinc(['submit', '--host', 'gamma', '--', 'true'])).code === 0);
      await c.stop('SIGKILL');
      await expectRefused(['submit', '--host', 'gamma', '--', 'true'], 3, /host gamma \(127\.0\.0\.1:\d+\) is unreachable/);
    });

    it('malformed config', async () => {
      const cfg = join(a.stateDir, 'bad.json');
      writeFileSync(cfg, '{"hostId": "x", "gossipInterval": "soon"}');
      const r = await run(process.execPath, [ZINCD, '--config', cfg, '--state-dir', join(a.stateDir, 'unused')]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/invalid gossipInterval .*"soon" is not a duration/);
      expect(existsSync(join(a.stateDir, 'unused'))).toBe(false);
      writeFileSync(cfg, '{not json');
      const r2 = await run(process.execPath, [ZINCD, '--config', cfg]);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toMatch(/not valid JSON/);
    });
  });
});

function frozen(cgRel: string): boolean {
  for (const root of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    const f = join(root, cgRel, 'cgroup.events');
    if (existsSync(f)) return /frozen 1/.test(readFileSync(f, 'utf8'));
  }
  const v1 = join('/sys/fs/cgroup/freezer', cgRel, 'freezer.state');
  return readFileSync(v1, 'utf8').trim() === 'FROZEN';
}

function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return false;
  }
}
