/**
 * Safe restores (issue 10): the credentials CRIU would restore are read from real images, and a
 * non-root owner's job is refused when they are not the owner's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImageOwner, credentialProblem, fileProblem } from '../../daemon/checkpoint/image-owner.js';
import { readImageFiles } from '../../daemon/criu/image-files.js';
import { readImageCreds } from '../../daemon/criu/image-creds.js';
import { CORE_MAGIC, IMG_COMMON_MAGIC, imageEntries } from '../../daemon/criu/image-file.js';
import { criuPath, isRoot, titled } from '../helpers/env.js';

const criu = criuPath();
const skip = !isRoot ? 'needs root' : !criu ? 'needs CRIU (run criu/install)' : undefined;
const NOBODY = { user: 'nobody', uid: 65534, gid: 65534, groups: [65534] };
const CAP_NET_BIND_SERVICE = 10;

/** Dump `argv` (run as pid 1 of a new PID namespace, like a zinc job) with CRIU into a new dir. */
async function dumpOf(argv: string[], dirs: string[], procs: ChildProcess[], pids: number[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'zinc-image-creds-'));
  dirs.push(dir);
  const p = spawn('unshare', ['--pid', '--fork', 'setsid', ...argv], { stdio: 'ignore', detached: true });
  procs.push(p);
  let pid = 0;
  for (let i = 0; i < 100 && !pid; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const kids = spawnSync('pgrep', ['-P', String(p.pid)], { encoding: 'utf8' }).stdout.trim();
    pid = Number(kids.split('\n')[0] ?? 0);
  }
  expect(pid).toBeGreaterThan(0);
  pids.push(pid); // its own session (setsid): killed by pid if the dump fails
  await new Promise((r) => setTimeout(r, 200)); // past setpriv's exec
  const r = spawnSync(criu as string, ['dump', '-t', String(pid), '-D', dir, '-o', 'dump.log', '--manage-cgroups=ignore'], {
    encoding: 'utf8',
    env: { ...process.env, CRIU_FAULT: '130' },
  });
  if (r.status !== 0) throw new Error(`criu dump failed: ${readFileSync(join(dir, 'dump.log'), 'utf8').split('\n').filter((l) => l.includes('Error')).join(' | ')}`);
  return dir;
}

describe('CRIU image framing', () => {
  const frame = (...words: number[]) => {
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
    return b;
  };
  it('reads entries after the common and the image magic', () => {
    const body = Buffer.from([0x08, 0x01]);
    const buf = Buffer.concat([frame(IMG_COMMON_MAGIC, CORE_MAGIC, 2), body]);
    expect(imageEntries('core-1.img', buf, CORE_MAGIC)).toEqual([body]);
  });
  it('refuses another magic, a truncated entry and an absurd length', () => {
    expect(() => imageEntries('x.img', frame(IMG_COMMON_MAGIC, 0x12345678), CORE_MAGIC)).toThrow(/magic 0x12345678/);
    expect(() => imageEntries('x.img', Buffer.concat([frame(IMG_COMMON_MAGIC, CORE_MAGIC, 10), Buffer.alloc(3)]), CORE_MAGIC)).toThrow(/runs past the end/);
    expect(() => imageEntries('x.img', frame(IMG_COMMON_MAGIC, CORE_MAGIC, 0xffffffff), CORE_MAGIC)).toThrow(/runs past the end/);
    expect(() => imageEntries('x.img', Buffer.alloc(2), CORE_MAGIC)).toThrow(/truncated/);
  });
});

describe.skipIf(!isRoot)(titled('files the images would reopen, as the owner sees them', isRoot ? undefined : 'needs root'), () => {
  const own = '/var/lib/zinc/jobs/h.1/files';
  const nobody = { uid: 65534, gid: 65534, groups: [65534] };
  const file = (name: string, flags = 0) => ({ image: 'files.img', id: 1, name, flags });
  it('refuses what the owner could not open that way, naming the file and the access', () => {
    expect(fileProblem([file('/etc/shadow')], nobody, own)).toBe('files.img would reopen /etc/shadow for reading, which uid 65534 may not');
    expect(fileProblem([file('/etc/passwd', 1)], nobody, own)).toMatch(/\/etc\/passwd for writing/);
    expect(fileProblem([file('/etc/zinc-no-such-file')], nobody, own)).toMatch(/does not exist and uid 65534 may not create/);
    // A path that climbs out of the job's own directory is judged where it lands.
    expect(fileProblem([file(`${own}/../../../../../../etc/shadow`)], nobody, own)).toMatch(/for reading/);
  });
  it('accepts what the owner may open, the job\'s own files, and O_PATH descriptors', () => {
    expect(fileProblem([file('/dev/null', 2), file('/usr/bin/sleep'), file('/'), file('/tmp/deleted-scratch-file')], nobody, own)).toBeUndefined();
    expect(fileProblem([file(`${own}/stdout`, 1), file(`${own}/work`)], nobody, own)).toBeUndefined();
    expect(fileProblem([file('/etc/shadow', 0o10000000)], nobody, own)).toBeUndefined();
    expect(fileProblem([file('/etc/shadow', 2)], { uid: 0, gid: 0, groups: [] }, own)).toBeUndefined();
  });
});

describe.skipIf(skip)(titled('credentials in real CRIU images', skip), () => {
  const dirs: string[] = [];
  const procs: ChildProcess[] = [];
  const pids: number[] = [];
  let rootDump = '';
  let shapedDump = '';

  beforeAll(async () => {
    rootDump = await dumpOf(['sh', '-c', 'sleep 1000 & wait'], dirs, procs, pids);
    // Still uid and gid 0 (root here lacks CAP_SYS_RESOURCE, so CRIU cannot read the rlimits of a
    // task with other ids), but with supplementary groups and an ambient capability.
    shapedDump = await dumpOf(
      ['setpriv', '--groups=1,2', `--inh-caps=+net_bind_service`, `--ambient-caps=+net_bind_service`, 'sleep', '1000'],
      dirs,
      procs,
      pids,
    );
  }, 60_000);
  afterAll(() => {
    // The job's init first: killing a PID namespace's init ends everything in it.
    for (const pid of [...pids, ...procs.map((p) => p.pid ?? 0)]) {
      try {
        if (pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone (CRIU's dump ends the tree)
      }
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reads every task of a root job: uid 0 with capabilities', () => {
    const tasks = readImageCreds(rootDump);
    expect(tasks.map((t) => t.pid).sort()).toEqual([1, 2]);
    for (const t of tasks) {
      expect([t.uid, t.euid, t.suid, t.fsuid, t.gid, t.egid, t.sgid, t.fsgid]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      expect(t.capEff.some((w) => w !== 0)).toBe(true);
    }
    expect(credentialProblem(tasks, { ...NOBODY })).toMatch(/^task \d \(core-\d\.img\) would run with uid 0$/);
    expect(credentialProblem(tasks, { user: 'root', uid: 0, gid: 0, groups: [] })).toBeUndefined();
  });

  it('lists the regular files a real dump reopens (executable, libraries, /dev/null)', () => {
    const names = readImageFiles(rootDump).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['/dev/null', '/usr/bin/sleep']));
    expect(names.some((n) => /libc\.so/.test(n))).toBe(true);
  });

  it('decodes supplementary groups and the inheritable and ambient sets at CRIU\'s field numbers', () => {
    const [t] = readImageCreds(shapedDump);
    expect(t).toBeDefined();
    expect(t?.groups).toEqual([1, 2]);
    expect(t?.capAmb[0]).toBe(1 << CAP_NET_BIND_SERVICE);
    expect(t?.capInh[0]).toBe(1 << CAP_NET_BIND_SERVICE);
  });

  it('refuses a root image for a nobody-owned job, and accepts it once the image says nobody with no capabilities', async () => {
    await expect(checkImageOwner('t.1', rootDump, NOBODY)).rejects.toMatchObject({ code: 'RESTORE_CREDENTIALS_REFUSED', message: expect.stringMatching(/would run with uid 0, but the job belongs to nobody/) });
    // Rewrite the images' credentials to nobody's, as a dump of a nobody job would have them.
    const copy = mkdtempSync(join(tmpdir(), 'zinc-image-creds-'));
    dirs.push(copy);
    const root = protobuf.parse(`syntax = "proto2";
      message creds_entry { required uint32 uid = 1; required uint32 gid = 2; required uint32 euid = 3; required uint32 egid = 4;
        required uint32 suid = 5; required uint32 sgid = 6; required uint32 fsuid = 7; required uint32 fsgid = 8;
        repeated uint32 cap_inh = 9; repeated uint32 cap_prm = 10; repeated uint32 cap_eff = 11; repeated uint32 cap_bnd = 12;
        required uint32 secbits = 13; repeated uint32 groups = 14; }
      message thread_core_entry { required uint64 futex_rla = 1; required uint32 futex_rla_len = 2; optional creds_entry creds = 10; }
      message core_entry { required uint32 mtype = 1; optional thread_core_entry thread_core = 5; }`, { keepCase: true }).root;
    const core = root.lookupType('core_entry');
    for (const name of readdirSync(rootDump).filter((n) => /^core-\d+\.img$/.test(n))) {
      const [entry] = imageEntries(name, readFileSync(join(rootDump, name)), CORE_MAGIC);
      const msg = core.toObject(core.decode(entry as Buffer), { longs: Number }) as { thread_core: { creds: Record<string, unknown> } };
      const ids = { uid: 65534, gid: 65534, euid: 65534, egid: 65534, suid: 65534, sgid: 65534, fsuid: 65534, fsgid: 65534 };
      msg.thread_core.creds = { ...msg.thread_core.creds, ...ids, cap_inh: [0, 0], cap_prm: [0, 0], cap_eff: [0, 0], groups: [65534] };
      const body = Buffer.from(core.encode(core.fromObject(msg)).finish());
      const head = Buffer.alloc(12);
      head.writeUInt32LE(IMG_COMMON_MAGIC, 0);
      head.writeUInt32LE(CORE_MAGIC, 4);
      head.writeUInt32LE(body.length, 8);
      writeFileSync(join(copy, name), Buffer.concat([head, body]));
    }
    await expect(checkImageOwner('t.1', copy, NOBODY)).resolves.toBeUndefined();
    // The same images for a job owned by `daemon` (uid 1): refused, naming the field.
    await expect(checkImageOwner('t.1', copy, { user: 'daemon', uid: 1, gid: 1, groups: [1] })).rejects.toThrow(/would run with uid 65534/);
  });
});
