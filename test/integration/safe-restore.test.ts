/**
 * Issue 10, "Safe restores", with real daemons, jobs and CRIU: the images' credentials are
 * checked against the job's owner, files travel as plain files owned by the job's user, job
 * files are opened without following links, archives and images are private, archive paths are
 * used only as the caller could, and a live GPID is never restored a second time.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procsUnder } from '../helpers/cgroups.js';
import { TestGrid, waitUntil, type TestDaemon } from '../helpers/daemon.js';
import { missing, titled } from '../helpers/env.js';

const NOBODY = 65534;
const skip = missing({ root: true, criu: true });

interface JobJson {
  gpid: string;
  state: string;
  jobPid: number;
}
interface CkptJson {
  id: string;
  path: string;
  archive: string;
}

/** Rewrite an archive entry by entry: `edit` returns the entry to write instead, or undefined to drop it. */
async function rewriteArchive(
  src: string,
  dst: string,
  edit: (h: tar.Header, body: Buffer) => { header: tar.Header; body: Buffer } | undefined,
): Promise<void> {
  const extract = tar.extract();
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  const feed = (async () => {
    extract.end(readFileSync(src));
  })();
  for await (const entry of extract) {
    const parts: Buffer[] = [];
    for await (const c of entry) parts.push(c as Buffer);
    const out = edit(entry.header, Buffer.concat(parts));
    if (!out) continue;
    await new Promise<void>((res, rej) => pack.entry(out.header, out.body, (err) => (err ? rej(err) : res())));
  }
  pack.finalize();
  await feed;
  await collected;
  writeFileSync(dst, Buffer.concat(chunks));
}

describe.skipIf(skip)(titled('safe restores (real CRIU)', skip), () => {
  const grid = new TestGrid();
  let d: TestDaemon;
  const scratch = mkdtempSync(join(tmpdir(), 'zinc-safe-restore-'));

  beforeAll(async () => {
    d = await grid.add({ hostId: 'sr' });
    // Other users reach the socket, and nobody has a directory of its own for -o archives.
    chmodSync(scratch, 0o711);
    mkdirSync(join(scratch, 'nobody'), { mode: 0o700 });
    chownSync(join(scratch, 'nobody'), NOBODY, NOBODY);
  }, 60_000);
  afterAll(async () => {
    await grid.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  const show = (gpid: string) => d.json<JobJson>(['show', gpid]);
  const stdoutOf = (gpid: string) => { try { return d.readFileInJob(gpid, 'stdout'); } catch { return ''; } };

  it('refuses an archive whose images carry uid 0 for a job owned by nobody, and restores nothing', async () => {
    const gpid = await d.ok(['submit', '--', 'sh', '-c', 'echo started; sleep 600']);
    await waitUntil('started', () => stdoutOf(gpid).includes('started'));
    const archive = join(scratch, 'root-job.tar');
    await d.ok(['checkpoint', '-o', archive, gpid]);
    expect((await show(gpid)).state).toBe('JOB_STATE_CHECKPOINTED');
    // The manifest now says nobody owns the job; the images still say uid 0 with every capability.
    const crafted = join(scratch, 'crafted.tar');
    await rewriteArchive(archive, crafted, (header, body) => {
      if (header.name !== 'manifest.json') return { header, body };
      const m = JSON.parse(body.toString()) as { spec: Record<string, unknown> };
      m.spec = { ...m.spec, user: 'nobody', uid: NOBODY, gid: NOBODY };
      const text = Buffer.from(JSON.stringify(m));
      return { header: { ...header, size: text.length }, body: text };
    });
    const before = readdirSync(join(d.stateDir, 'jobs', gpid, 'checkpoints')).sort();
    const r = await d.zinc(['restart', crafted]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to restore .*task 1 \(core-1\.img\) would run with uid 0, but the job belongs to nobody \(uid 65534, gid 65534\)/);
    // Nothing restored: no process, the job as it was, no new checkpoint left behind.
    expect(procsUnder(d.jobCgroup(gpid))).toEqual([]);
    expect((await show(gpid)).state).toBe('JOB_STATE_CHECKPOINTED');
    expect(readdirSync(join(d.stateDir, 'jobs', gpid, 'checkpoints')).sort()).toEqual(before);
    // The untouched archive still restores (as root, for root).
    await d.ok(['restart', archive]);
    expect((await show(gpid)).state).toBe('JOB_STATE_RUNNING');
    await d.ok(['kill', gpid]);
  });

  it('refuses an archive whose files/stdout is a symlink to a root-only file; zinc logs never prints it', async () => {
    const gpid = await d.ok(['submit', '--', 'sh', '-c', 'echo mine; sleep 600']);
    await waitUntil('started', () => stdoutOf(gpid).includes('mine'));
    const archive = join(scratch, 'link-src.tar');
    await d.ok(['checkpoint', '-o', archive, gpid]);
    const crafted = join(scratch, 'link.tar');
    await rewriteArchive(archive, crafted, (header, body) => {
      if (header.name === 'manifest.json') {
        const m = JSON.parse(body.toString()) as { files: Array<Record<string, unknown>> };
        m.files = m.files.map((f) => (f.path === 'files/stdout' ? { path: 'files/stdout', type: 'symlink', size: 0, mode: 0o777, mtimeMs: 0, target: '/etc/shadow' } : f));
        const text = Buffer.from(JSON.stringify(m));
        return { header: { ...header, size: text.length }, body: text };
      }
      if (header.name === 'files/stdout') return { header: { name: 'files/stdout', type: 'symlink', linkname: '/etc/shadow', mode: 0o777 } as tar.Header, body: Buffer.alloc(0) };
      return { header, body };
    });
    const r = await d.zinc(['restart', crafted]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/symlink \(files\/stdout\); only plain files and directories are restored/);
    expect(lstatSync(join(d.stateDir, 'jobs', gpid, 'files', 'stdout')).isSymbolicLink()).toBe(false);
    expect(await d.ok(['logs', gpid])).not.toMatch(/root:/);
  });

  it('a non-root job that replaces its stdout by a symlink to /etc/shadow: zinc logs does not print it', async () => {
    const gpid = await d.ok(['submit', '--user', 'nobody', '--', 'sh', '-c', 'echo before; ln -sf /etc/shadow ../stdout && echo linked >&2; sleep 600']);
    await waitUntil('linked', () => d.readFileInJob(gpid, 'stderr').includes('linked'));
    expect(lstatSync(join(d.stateDir, 'jobs', gpid, 'files', 'stdout')).isSymbolicLink()).toBe(true);
    const r = await d.zinc(['logs', gpid]);
    expect(r.stdout).not.toMatch(/root:/);
    await d.ok(['kill', gpid]);
  });

  it('a setuid file the job made is checkpointed and restored without its setuid bit', async () => {
    const gpid = await d.ok(['submit', '--', 'sh', '-c', 'cp /bin/true suid && chmod 4755 suid && echo ready; sleep 600']);
    await waitUntil('ready', () => stdoutOf(gpid).includes('ready'));
    const work = join(d.stateDir, 'jobs', gpid, 'files', 'work');
    expect(statSync(join(work, 'suid')).mode & 0o7777).toBe(0o4755);
    const ck = await d.json<CkptJson>(['checkpoint', gpid]);
    expect(statSync(join(ck.path, 'files', 'work', 'suid')).mode & 0o7777).toBe(0o755);
    await d.ok(['restart', gpid]);
    expect(statSync(join(work, 'suid')).mode & 0o7777).toBe(0o755);
    await d.ok(['kill', gpid]);
  });

  it('keeps archives, images, manifests and output private to the job\'s owner and root', async () => {
    const mode = (p: string) => statSync(p).mode & 0o7777;
    expect(mode(d.stateDir)).toBe(0o711);
    expect(mode(join(d.stateDir, 'jobs'))).toBe(0o711);
    // Output of a nobody job: its own, 0600, in a 0700 directory of its own.
    const nob = await d.ok(['submit', '--user', 'nobody', '--', 'sh', '-c', 'echo out; echo err >&2; sleep 600']);
    await waitUntil('output', () => stdoutOf(nob).includes('out'));
    const files = join(d.stateDir, 'jobs', nob, 'files');
    for (const [p, m] of [[files, 0o700], [join(files, 'stdout'), 0o600], [join(files, 'stderr'), 0o600]] as const) {
      expect([p, mode(p), statSync(p).uid]).toEqual([p, m, NOBODY]);
    }
    expect(mode(join(d.stateDir, 'jobs', nob, 'ctl'))).toBe(0o700);
    expect(mode(join(d.stateDir, 'jobs', nob, 'job.json'))).toBe(0o600); // it holds the environment
    await d.ok(['kill', nob]);
    // A checkpoint (root job: see docs/security.md for non-root dumps on this machine).
    const gpid = await d.ok(['submit', '--', 'sh', '-c', 'echo x; sleep 600']);
    await waitUntil('started', () => stdoutOf(gpid).includes('x'));
    const archive = join(scratch, 'modes.tar');
    const ck = await d.json<CkptJson>(['checkpoint', '--leave-running', '-o', archive, gpid]);
    expect(mode(archive)).toBe(0o600);
    expect(mode(join(d.stateDir, 'jobs', gpid, 'checkpoints'))).toBe(0o700);
    expect(mode(ck.path)).toBe(0o700);
    expect(mode(join(ck.path, 'images'))).toBe(0o700);
    expect(mode(join(ck.path, 'manifest.json'))).toBe(0o600);
    const images = readdirSync(join(ck.path, 'images'));
    expect(images.length).toBeGreaterThan(5);
    for (const f of images) expect([f, mode(join(ck.path, 'images', f))]).toEqual([f, 0o600]);
    await d.ok(['kill', gpid]);
  });

  it('-o never replaces a file, and is refused where the caller may not write', async () => {
    const gpid = await d.ok(['submit', '--user', 'nobody', '--', 'sleep', '600']);
    const existing = join(scratch, 'existing');
    writeFileSync(existing, 'keep me');
    const r1 = await d.zinc(['checkpoint', '--leave-running', '-o', existing, gpid]);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toMatch(/already exists/);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    // nobody may not make zincd (root) write into /etc; refused before any dump.
    const r2 = await d.zincAs(NOBODY, ['checkpoint', '--leave-running', '-o', '/etc/zinc-safe-restore-test.tar', gpid]);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/uid 65534 may not create files in \/etc/);
    expect(existsSync('/etc/zinc-safe-restore-test.tar')).toBe(false);
    expect((await show(gpid)).state).toBe('JOB_STATE_RUNNING');
    await d.ok(['kill', gpid]);
  });

  it('refuses Restart{archive:/dev/zero} (and a FIFO) at once', async () => {
    const t0 = Date.now();
    const r = await d.zinc(['restart', '/dev/zero']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\/dev\/zero: it is not a regular file/);
    const fifo = join(scratch, 'fifo');
    await new Promise<void>((res, rej) => spawn('mkfifo', [fifo]).on('close', (c) => (c === 0 ? res() : rej(new Error('mkfifo')))));
    const r2 = await d.zinc(['restart', fifo]);
    expect(r2.stderr).toMatch(/it is not a regular file/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('never restores a GPID that is running here a second time', async () => {
    const gpid = await d.ok(['submit', '--', 'sh', '-c', 'echo live; sleep 600']);
    await waitUntil('live', () => stdoutOf(gpid).includes('live'));
    const archive = join(scratch, 'live.tar');
    await d.ok(['checkpoint', '--leave-running', '-o', archive, gpid]);
    const r = await d.zinc(['restart', archive]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`job ${gpid.replace('.', '\\.')} is already running here|is running; cannot restart it from an archive`));
    expect(procsUnder(d.jobCgroup(gpid)).length).toBeGreaterThan(0);
    await d.ok(['kill', gpid]);
  });
});
