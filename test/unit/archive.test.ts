/** The checkpoint archive format: round trip, and rejection of hostile or broken archives. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractCheckpoint } from '../../daemon/checkpoint/archive-reader.js';
import { archiveSize, packCheckpoint } from '../../daemon/checkpoint/archive-writer.js';
import { listTree } from '../../daemon/checkpoint/hashing.js';
import { MANIFEST_FORMAT, type Manifest } from '../../daemon/checkpoint/manifest.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zinc-archive-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function manifestFor(files: Manifest['files']): Manifest {
  return {
    format: MANIFEST_FORMAT,
    id: 'c1',
    gpid: 'h.1',
    name: 'job',
    home: 'h',
    spec: { argv: ['true'], env: [], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' },
    cwd: '/w',
    submittedAt: 1,
    filesDir: '/var/lib/zinc/jobs/h.1/files',
    sourceHost: 'h',
    sourceDomain: 'd',
    createdAt: 2,
    kernel: '6',
    arch: 'x64',
    cpuFlags: [],
    criuVersion: '4.1.1',
    rootPid: 1,
    leaveRunning: false,
    lazy: false,
    hops: ['h'],
    migrations: 0,
    epoch: 0,
    files,
    external: [],
    totalBytes: files.reduce((n, f) => n + f.size, 0),
  };
}

async function sampleCheckpoint(): Promise<{ dir: string; m: Manifest }> {
  const dir = join(tmp, 'src');
  mkdirSync(join(dir, 'images'), { recursive: true });
  mkdirSync(join(dir, 'files', 'work', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'images', 'pages-1.img'), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
  writeFileSync(join(dir, 'images', 'core-1.img'), 'core');
  writeFileSync(join(dir, 'files', 'stdout'), 'hello\n');
  writeFileSync(join(dir, 'files', 'stderr'), '');
  writeFileSync(join(dir, 'files', 'work', 'sub', 'x'), 'x');
  symlinkSync('sub/x', join(dir, 'files', 'work', 'link'));
  return { dir, m: manifestFor(await listTree(dir, ['images', 'files'], true)) };
}

/** Build a raw tar from explicit entries (for hostile archives). */
async function rawTar(entries: Array<{ name: string; body?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((r) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => r());
  });
  for (const e of entries) {
    await new Promise<void>((res, rej) =>
      pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: 0o644 }, e.body ?? '', (err) => (err ? rej(err) : res())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const fileEntry = (path: string, body: string) => ({ path, type: 'file' as const, size: Buffer.byteLength(body), mode: 0o644, mtimeMs: 0, sha256: sha(body) });

function extractTo(buf: Buffer | Readable, name = 'out') {
  return extractCheckpoint(Buffer.isBuffer(buf) ? Readable.from([buf]) : buf, { source: 'test', onManifest: async () => join(tmp, name) });
}

describe('checkpoint archive', () => {
  it('round-trips a checkpoint: manifest first, every file verified, symlinks not carried', async () => {
    const { dir, m } = await sampleCheckpoint();
    const chunks: Buffer[] = [];
    const stream = packCheckpoint(dir, m);
    const tee = new PassThrough();
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.pipe(tee);
    const out = await extractTo(tee);
    expect(out.manifest).toEqual(m);
    // Buffer.equals: vitest's deep equality takes seconds on megabytes.
    expect(readFileSync(join(out.dir, 'images', 'pages-1.img')).equals(readFileSync(join(dir, 'images', 'pages-1.img')))).toBe(true);
    expect(readFileSync(join(out.dir, 'files', 'stdout'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(out.dir, 'files', 'work', 'link'))).toBe(false);
    expect(m.files.some((f) => f.path === 'files/work/link')).toBe(false);
    const total = Buffer.concat(chunks);
    expect(total.length).toBe(archiveSize(m));
    expect(total.subarray(0, 100).toString()).toMatch(/^manifest\.json/);
  });

  it('keeps every file\'s modification and access time, small (written at once) and large (streamed)', async () => {
    const { dir } = await sampleCheckpoint();
    const mtime = new Date('2020-02-02T02:02:02.123Z');
    const atime = new Date('2021-03-03T03:03:03.456Z');
    for (const f of ['images/pages-1.img', 'images/core-1.img', 'files/stdout', 'files/work/sub/x']) utimesSync(join(dir, f), atime, mtime);
    const m = manifestFor(await listTree(dir, ['images', 'files'], true));
    const out = await extractTo(packCheckpoint(dir, m));
    for (const f of ['images/pages-1.img', 'images/core-1.img', 'files/stdout', 'files/work/sub/x']) {
      const st = statSync(join(out.dir, f));
      expect([f, Math.round(st.mtimeMs)]).toEqual([f, mtime.getTime()]);
      expect([f, Math.round(st.atimeMs)]).toEqual([f, atime.getTime()]);
    }
  });

  it('rejects an archive whose first entry is not the manifest', async () => {
    const buf = await rawTar([{ name: 'images/x', body: 'x' }]);
    await expect(extractTo(buf)).rejects.toThrow(/manifest\.json is not the first entry/);
  });

  it('rejects path traversal in the manifest', async () => {
    const m = manifestFor([fileEntry('../../etc/passwd', 'x')]);
    const buf = await rawTar([{ name: 'manifest.json', body: JSON.stringify(m) }, { name: '../../etc/passwd', body: 'x' }]);
    await expect(extractTo(buf)).rejects.toThrow(/unsafe path/);
  });

  it('rejects entries the manifest does not list, and absolute paths', async () => {
    const m = manifestFor([fileEntry('files/stdout', 'a')]);
    const buf = await rawTar([{ name: 'manifest.json', body: JSON.stringify(m) }, { name: '/etc/cron.d/evil', body: 'a' }]);
    await expect(extractTo(buf)).rejects.toThrow(/unexpected entry/);
    expect(existsSync(join(tmp, 'out'))).toBe(false); // nothing left behind
  });

  it('never writes through a symlink from the archive', async () => {
    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    const m = manifestFor([
      { path: 'files/work', type: 'symlink', size: 0, mode: 0o777, mtimeMs: 0, target: outside },
      fileEntry('files/work/pwned', 'x'),
    ]);
    const buf = await rawTar([
      { name: 'manifest.json', body: JSON.stringify(m) },
      { name: 'files/work', type: 'symlink', linkname: outside },
      { name: 'files/work/pwned', body: 'x' },
    ]);
    await expect(extractTo(buf)).rejects.toThrow(/manifest lists a symlink \(files\/work\)/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('names the corrupt file when a checksum does not match', async () => {
    const m = manifestFor([fileEntry('images/pages-1.img', 'good')]);
    const buf = await rawTar([{ name: 'manifest.json', body: JSON.stringify(m) }, { name: 'images/pages-1.img', body: 'evil' }]);
    await expect(extractTo(buf)).rejects.toThrow(/images\/pages-1\.img is corrupt/);
  });

  it('detects a truncated archive', async () => {
    const m = manifestFor([fileEntry('files/stdout', 'a'), fileEntry('files/stderr', 'b')]);
    const buf = await rawTar([{ name: 'manifest.json', body: JSON.stringify(m) }, { name: 'files/stdout', body: 'a' }]);
    await expect(extractTo(buf)).rejects.toThrow(/truncated: 1 entries missing/);
  });

  it('reports garbage as an invalid archive, not an internal error', async () => {
    await expect(extractTo(Buffer.alloc(4096, 0x41))).rejects.toThrow(/not a valid zinc checkpoint archive/);
  });
});
