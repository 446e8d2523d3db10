/**
 * Issue 10, "Users": the local socket is open to every user, the daemon takes the caller's uid
 * from the kernel, jobs run as their submitter, and only a job's owner or root may act on it.
 * Real daemons, real jobs; the CLI runs as the system accounts `nobody` and `daemon`.
 */
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGrid, waitUntil, type RunResult, type TestDaemon } from '../helpers/daemon.js';
import { missing, ROOT, titled } from '../helpers/env.js';
import { zincV1 } from '../../proto/loader.js';
import { unary } from '../../daemon/peers/pool.js';
import { isServiceError } from '../../daemon/grpc/status.js';

const NOBODY = 65534;
const DAEMON_UID = 1;
/** The CLI's exit code for a permission refusal (cli/context.ts). */
const EXIT_DENIED = 5;

const skip = missing({ root: true });

async function okAs(d: TestDaemon, uid: number, args: string[]): Promise<string> {
  const r = await d.zincAs(uid, args);
  if (r.code !== 0) throw new Error(`zinc ${args.join(' ')} as uid ${uid} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Real, effective, saved and filesystem ids from /proc/PID/status. */
function ids(pid: number): { uid: number[]; gid: number[] } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => (new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '').split(/\s+/).map(Number);
  return { uid: field('Uid'), gid: field('Gid') };
}

interface JobJson {
  gpid: string;
  state: string;
  host: string;
  jobPid: number;
  spec: { user: string; env: string[] };
}

describe.skipIf(skip)(titled('users: kernel identity, ownership, mapping across domains', skip), () => {
  const grid = new TestGrid();
  const mapDir = mkdtempSync(join(tmpdir(), 'zinc-users-'));
  let a: TestDaemon;
  let strict: TestDaemon;

  beforeAll(async () => {
    a = await grid.add({ hostId: 'ua', domain: 'd1' });
    // A host of another domain that maps d1's users onto one grid account, and nothing else.
    const map = join(mapDir, 'strict-map.json');
    writeFileSync(map, JSON.stringify({ d1: { '*': 'daemon' } }));
    strict = await grid.add({ hostId: 'ub', domain: 'd3', peers: [a.address], extraArgs: ['--user-map', map] });
    // The test's state dirs are mkdtemp'd (0700): let other users reach the sockets inside.
    for (const d of [a, strict]) chmodSync(d.stateDir, 0o711);
    await waitUntil('ub in ua\'s hosts', async () => (await a.ok(['hosts'])).includes('ub'), 15_000);
  }, 60_000);
  afterAll(async () => {
    await grid.destroy();
    rmSync(mapDir, { recursive: true, force: true });
  });

  it('runs a non-root user\'s job as that user, and refuses --user root from them', async () => {
    const gpid = await okAs(a, NOBODY, ['submit', '--host', 'ua', '--env', 'SECRET=hunter2', '--', 'sleep', '600']);
    const j = await a.json<JobJson>(['show', gpid]);
    expect(j.spec.user).toBe('nobody');
    const got = ids(j.jobPid);
    expect(got.uid).toEqual([NOBODY, NOBODY, NOBODY, NOBODY]);
    expect(got.gid[0]).toBe(NOBODY);

    const r = await a.zincAs(NOBODY, ['submit', '--host', 'ua', '--user', 'root', '--', 'cat', '/etc/shadow']);
    expect(r.code).toBe(EXIT_DENIED);
    expect(r.stderr).toMatch(/nobody may not submit a job as root.*only root may run jobs as another user/i);

    // Root's own submit runs as root (the submitter), and root may still choose a user.
    const mine = await a.ok(['submit', '--host', 'ua', '--', 'sleep', '600']);
    expect(ids((await a.json<JobJson>(['show', mine])).jobPid).uid[0]).toBe(0);
    const asDaemon = await a.ok(['submit', '--host', 'ua', '--user', 'daemon', '--', 'sleep', '600']);
    expect(ids((await a.json<JobJson>(['show', asDaemon])).jobPid).uid[0]).toBe(DAEMON_UID);
    await a.ok(['kill', mine]);
    await a.ok(['kill', asDaemon]);
    await okAs(a, NOBODY, ['kill', gpid]);
  });

  it('lets everyone list and show, but only the owner or root act on a job or read its output', async () => {
    const gpid = await okAs(a, NOBODY, ['submit', '--host', 'ua', '--env', 'TOKEN=s3cret', '--', 'sh', '-c', 'echo private; sleep 600']);
    await waitUntil('the job\'s output', async () => (await okAs(a, NOBODY, ['logs', gpid])).includes('private'), 10_000);

    // Another user sees the job (like squeue) but not its environment.
    expect(await okAs(a, DAEMON_UID, ['ps'])).toContain(gpid);
    const seen = JSON.parse(await okAs(a, DAEMON_UID, ['show', gpid, '--json'])) as JobJson;
    expect(seen.spec.env).toEqual([]);
    const own = JSON.parse(await okAs(a, NOBODY, ['show', gpid, '--json'])) as JobJson;
    expect(own.spec.env).toContain('TOKEN=s3cret');

    for (const args of [['kill', gpid], ['stop', gpid], ['cont', gpid], ['logs', gpid], ['checkpoint', gpid], ['migrate', gpid, '--to', 'ub'], ['restart', gpid]]) {
      const r = await a.zincAs(DAEMON_UID, args);
      expect(r.code, `zinc ${args.join(' ')} as daemon: ${r.stderr}`).toBe(EXIT_DENIED);
      expect(r.stderr).toMatch(new RegExp(`user daemon may not .*${gpid.replace('.', '\\.')}.*belongs to nobody`));
      expect(r.stdout).not.toContain('private');
    }
    expect((await a.json<JobJson>(['show', gpid])).state).toBe('JOB_STATE_RUNNING');

    // Host-wide changes need root.
    for (const args of [['drain', 'ua'], ['policy', 'set', 'spread']]) {
      const r = await a.zincAs(NOBODY, args);
      expect(r.code, `zinc ${args.join(' ')}: ${r.stderr}`).toBe(EXIT_DENIED);
    }
    // A daemon-only RPC is not for local users either (the CLI has no command for it; the
    // refusal is shown through the Gossip/Report paths in the unit tests).
    await okAs(a, NOBODY, ['kill', gpid]);
    expect((await a.json<JobJson>(['show', gpid])).state).toMatch(/KILLED|EXITED/);
  });

  it('maps a user of another domain by the receiving host\'s user map, and refuses what it cannot map', async () => {
    // d1's nobody becomes d3's `daemon` account on ub.
    const gpid = await okAs(a, NOBODY, ['submit', '--host', 'ub', '--', 'sleep', '600']);
    const j = await strict.json<JobJson>(['show', gpid]);
    expect(j.host).toBe('ub');
    expect(j.spec.user).toBe('daemon');
    expect(ids(j.jobPid).uid[0]).toBe(DAEMON_UID);
    // The owner's requests, forwarded from d1, act as the mapped account: allowed.
    await okAs(a, NOBODY, ['kill', gpid]);

    // Root of d1 is not root of d3: the wildcard never maps root.
    const r = await a.zinc(['submit', '--host', 'ub', '--', 'sleep', '600']);
    expect(r.code).toBe(EXIT_DENIED);
    expect(r.stderr).toMatch(/ub has no account for user root of domain d1.*userMap/);
  });

  it('refuses requests on the peer port that name no user, or a user who does not own the job', async () => {
    // Before: a Submit without `via` ran as root, whatever --accept-domains said.
    const client = new (zincV1().Jobs)(a.address, grpc.credentials.createInsecure());
    try {
      const bare = await unary(client, 'submit', { spec: { argv: ['sh', '-c', 'id > /tmp/zinc-bare-submit'], user: 'root' }, host: 'ua' }, 10_000).catch((e: unknown) => e);
      expect(isServiceError(bare) && bare.code).toBe(grpc.status.PERMISSION_DENIED);
      const gpid = await okAs(a, NOBODY, ['submit', '--host', 'ua', '--', 'sleep', '600']);
      // A daemon forwarding for `daemon` may not kill nobody's job.
      const kill = await unary(client, 'control', { gpid, action: 'CONTROL_ACTION_KILL', via: { originHost: 'ub', originDomain: 'd1', hops: 1, user: 'daemon', uid: 1 } }, 10_000).catch((e: unknown) => e);
      expect(isServiceError(kill) && kill.code).toBe(grpc.status.PERMISSION_DENIED);
      expect((await a.json<JobJson>(['show', gpid])).state).toBe('JOB_STATE_RUNNING');
      await okAs(a, NOBODY, ['kill', gpid]);
    } finally {
      client.close();
    }
  });

  it('refuses the TCP peer port to non-root processes of the host, whatever user they claim (no TLS on loopback)', async () => {
    // Before: any local user reached 127.0.0.1's peer port and forwarded a submit "for root".
    const script = `
      import * as grpc from '@grpc/grpc-js';
      import { zincV1 } from './dist/proto/loader.js';
      const c = new (zincV1().Jobs)(${JSON.stringify(a.address)}, grpc.credentials.createInsecure());
      c.submit({ spec: { argv: ['sh', '-c', 'id > /tmp/zinc-users-forged'], user: 'root' }, host: 'ua',
                 via: { originHost: 'ub', originDomain: 'd1', hops: 1, user: 'root', uid: 0 } },
               new grpc.Metadata(), { deadline: Date.now() + 5000 },
               (err, res) => { console.log(err ? 'ERR ' + err.code : 'OK ' + res.gpid); process.exit(0); });`;
    const r = await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
    expect(r.stdout.trim(), r.stderr).toBe(`ERR ${grpc.status.UNAVAILABLE}`);
    expect(a.log()).toMatch(/peer connection refused: without TLS only root processes of this host may use the peer port/);
    expect(existsSync('/tmp/zinc-users-forged')).toBe(false);
  });
});

