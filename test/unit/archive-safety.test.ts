/**
 * Safe restores (issue 10): what an archive may bring. Plain files and directories only, each
 * with a verified digest, written root-private and without setuid bits; a sender that stalls
 * fails instead of hanging; the restored job's files belong to its owner.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractCheckpoint } from '../../daemon/checkpoint/archive-reader.js';
import { MANIFEST_FORMAT, type Manifest } from '../../daemon/checkpoint/manifest.js';
import { sanitizeTree } from '../../daemon/store/file-safety.js';
import { isRoot } from '../helpers/env.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zinc-archive-safety-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const file = (path: string, body: string, mode = 0o644) => ({ path, type: 'file' as const, size: Buffer.byteLength(body), mode, mtimeMs: 0, sha256: sha(body) });

function manifestFor(files: Manifest['files']): Manifest {
  return {
    format: MANIFEST_FORMAT, id: 'c1', gpid: 'h.1', name: 'job', home: 'h',
    spec: { argv: ['true'], env: ['SECRET=1'], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' },
    cwd: '/w', submittedAt: 1, filesDir: '/var/lib/zinc/jobs/h.1/files', sourceHost: 'h', sourceDomain: 'd', createdAt: 2, kernel: '6',
    arch: 'x64', cpuFlags: [], criuVersion: '4.1.1', rootPid: 1, leaveRunning: false, lazy: false, hops: ['h'], migrations: 0, epoch: 0,
    files, external: [], totalBytes: files.reduce((n, f) => n + f.size, 0),
  };
}

type RawEntry = { name: string; body?: string; type?: tar.Header['type']; linkname?: string; mode?: number };
function packOf(entries: RawEntry[]): tar.Pack {
  const pack = tar.pack();
  (async () => {
    for (const e of entries) {
      await new Promise<void>((res, rej) =>
        pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: e.mode ?? 0o644 }, e.body ?? '', (err) => (err ? rej(err) : res())),
      );
    }
    pack.finalize();
  })().catch(() => undefined);
  return pack;
}
async function tarOf(entries: RawEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of packOf(entries)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const extract = (input: Buffer | Readable, idleTimeoutMs?: number) =>
  extractCheckpoint(Buffer.isBuffer(input) ? Readable.from([input]) : input, { source: 'test', onManifest: async () => join(tmp, 'out'), ...(idleTimeoutMs ? { idleTimeoutMs } : {}) });

describe('archive entries', () => {
  it('refuses a file entry without a sha256, and writes nothing', async () => {
    const { sha256: _, ...noDigest } = file('images/core-1.img', 'core');
    const buf = await tarOf([{ name: 'manifest.json', body: JSON.stringify(manifestFor([noDigest])) }, { name: 'images/core-1.img', body: 'core' }]);
    await expect(extract(buf)).rejects.toThrow(/manifest lists images\/core-1\.img without a sha256/);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });

  it('refuses symlinks, hard links, FIFOs and device nodes, even where the manifest claims a file', async () => {
    for (const [type, extra] of [['symlink', { linkname: '/etc/shadow' }], ['link', { linkname: 'files/stderr' }], ['fifo', {}], ['character-device', {}]] as const) {
      const buf = await tarOf([{ name: 'manifest.json', body: JSON.stringify(manifestFor([file('files/stdout', '')])) }, { name: 'files/stdout', type, ...extra }]);
      await expect(extract(buf), type).rejects.toThrow(/only plain files and directories are restored/);
      expect(existsSync(join(tmp, 'out')), type).toBe(false);
    }
  });

  it('writes a root-private checkpoint: 0700 directory, images and manifest; the job\'s files keep their modes without setuid', async () => {
    const entries = [file('images/core-1.img', 'core', 0o644), { path: 'files/work', type: 'dir' as const, size: 0, mode: 0o4777, mtimeMs: 0 }, file('files/work/tool', '#!/bin/sh\n', 0o4755), file('files/stdout', 'hi\n', 0o666)];
    const buf = await tarOf([
      { name: 'manifest.json', body: JSON.stringify(manifestFor(entries)) },
      { name: 'images/core-1.img', body: 'core' },
      { name: 'files/work', type: 'directory', mode: 0o4777 },
      { name: 'files/work/tool', body: '#!/bin/sh\n', mode: 0o4755 },
      { name: 'files/stdout', body: 'hi\n', mode: 0o666 },
    ]);
    const { dir } = await extract(buf);
    const mode = (p: string) => statSync(join(dir, p)).mode & 0o7777;
    expect([mode('.'), mode('images'), mode('files/work')]).toEqual([0o700, 0o700, 0o777]);
    expect([mode('manifest.json'), mode('images/core-1.img'), mode('files/work/tool'), mode('files/stdout')]).toEqual([0o600, 0o600, 0o755, 0o666]);
  });
});

describe('a sender that stops', () => {
  it('fails after the idle timeout when an entry declares more bytes than ever arrive', async () => {
    const big = 'x'.repeat(64 * 1024);
    const m = manifestFor([{ ...file('images/pages-1.img', big), sha256: sha(big) }]);
    // The manifest and a header declaring 64 KiB, then 512 bytes, then nothing (not even an end).
    const whole = await tarOf([{ name: 'manifest.json', body: JSON.stringify(m) }, { name: 'images/pages-1.img', body: big }]);
    const cut = whole.indexOf(Buffer.from('images/pages-1.img')) + 1024;
    const input = new PassThrough();
    input.write(whole.subarray(0, cut));
    const t0 = Date.now();
    await expect(extract(input, 300)).rejects.toThrow(/no data for 0 s: the sender stopped/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });

  it('says the transfer was cut off, not that the archive is invalid, when the input fails (issue 11)', async () => {
    const big = 'z'.repeat(64 * 1024);
    const whole = await tarOf([{ name: 'manifest.json', body: JSON.stringify(manifestFor([file('images/pages-1.img', big)])) }, { name: 'images/pages-1.img', body: big }]);
    const input = new PassThrough();
    input.write(whole.subarray(0, whole.indexOf(Buffer.from('images/pages-1.img')) + 1024));
    setTimeout(() => input.destroy(new Error('14 UNAVAILABLE: Connection dropped')), 50);
    const err = await extract(input).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/was cut off before its end: 14 UNAVAILABLE: Connection dropped/);
    expect((err as Error).message).not.toMatch(/not a valid zinc checkpoint archive/);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });

  it('fails at once on a file that ends inside an entry', async () => {
    const big = 'y'.repeat(64 * 1024);
    const whole = await tarOf([{ name: 'manifest.json', body: JSON.stringify(manifestFor([file('images/pages-1.img', big)])) }, { name: 'images/pages-1.img', body: big }]);
    const cut = whole.indexOf(Buffer.from('images/pages-1.img')) + 1024;
    await expect(extract(whole.subarray(0, cut))).rejects.toThrow(/not a valid zinc checkpoint archive/);
  });
});

describe.skipIf(!isRoot)('restored job files (sanitizeTree)', () => {
  it('keeps plain files and directories, owned by the job\'s user, without setuid/setgid/sticky bits', () => {
    const root = join(tmp, 'files');
    mkdirSync(join(root, 'work'), { recursive: true });
    writeFileSync(join(root, 'stdout'), 'out');
    writeFileSync(join(root, 'work', 'suid'), 'x');
    chmodSync(join(root, 'work', 'suid'), 0o6755);
    chmodSync(join(root, 'work'), 0o1777);
    symlinkSync('/etc/shadow', join(root, 'stderr'));
    execFileSync('mkfifo', [join(root, 'work', 'fifo')]);
    const r = sanitizeTree(root, { uid: 65534, gid: 65534 });
    expect(r.removed.sort()).toEqual(['stderr', 'work/fifo']);
    expect(r.stripped.sort()).toEqual(['work', 'work/suid']);
    expect(existsSync(join(root, 'stderr'))).toBe(false);
    expect(readFileSync('/etc/shadow').length).toBeGreaterThan(0); // the target is untouched
    const st = lstatSync(join(root, 'work', 'suid'));
    expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o755, 65534, 65534]);
    expect(statSync(join(root, 'stdout')).uid).toBe(65534);
    expect(statSync('/etc/shadow').uid).toBe(0);
  });
});
