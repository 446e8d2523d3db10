/**
 * Unpacks a checkpoint archive (from a file or a migration stream) into a checkpoint directory,
 * trusting nothing: manifest.json must come first and be valid; every later entry must be listed
 * in it, stay inside images/ or files/, never pass through a symlink, and match its size and
 * sha256 — checked while the bytes stream through, so a corrupt or hostile archive is rejected
 * at the first bad entry. Nothing is written outside `targetDir`, and a failed extraction removes
 * only what it wrote itself.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { ZincError } from '../common/zinc-error.js';
import { ArchiveFormatError, ChecksumMismatchError, DiskFullError } from './errors.js';
import { isSafeRelativePath, manifestSchema, type FileEntry, type Manifest } from './manifest.js';

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Entries up to this size are buffered and written in one call. */
const SMALL_FILE = 256 * 1024;

export interface ExtractOptions {
  /** For messages: "archive /x.tar" or "migration from h1". */
  source: string;
  /** Called with the manifest before anything is written; returns the directory to unpack into
   * (it must not exist yet), or throws to refuse (pre-flight). */
  onManifest: (m: Manifest) => Promise<string>;
  onProgress?: (bytes: number, total: number) => void;
}

export interface Extracted {
  manifest: Manifest;
  dir: string;
}

export async function extractCheckpoint(input: Readable, o: ExtractOptions): Promise<Extracted> {
  const extract = tar.extract();
  const feeding = pipeline(input, extract).catch((err: unknown) => {
    extract.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  let manifest: Manifest | undefined;
  let dir: string | undefined;
  let created = false;
  const expected = new Map<string, FileEntry>();
  const seen = new Set<string>();
  const symlinks: string[] = [];
  const made = new Set<string>();
  const ensureDir = async (d: string) => {
    if (made.has(d)) return;
    await mkdir(d, { recursive: true });
    made.add(d);
  };
  let bytes = 0;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (!manifest) {
        if (h.name !== 'manifest.json' || h.type !== 'file') throw new ArchiveFormatError(o.source, 'manifest.json is not the first entry');
        if ((h.size ?? 0) > MAX_MANIFEST_BYTES) throw new ArchiveFormatError(o.source, 'manifest.json is too large');
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        const manifestText = Buffer.concat(chunks).toString('utf8');
        manifest = parseManifest(manifestText, o.source);
        for (const f of manifest.files) expected.set(f.path, f);
        dir = await o.onManifest(manifest);
        // Synchronous: single cheap syscalls, and for a post-copy migration they sit inside the
        // job's downtime, where each trip through the thread pool costs more than the call.
        checkSpace(dirname(dir), manifest.totalBytes);
        mkdirSync(dir, { recursive: false });
        created = true;
        mkdirSync(join(dir, 'images'));
        writeFileSync(join(dir, 'manifest.json'), manifestText);
        continue;
      }
      const name = h.name.replace(/\/+$/, '');
      const want = expected.get(name);
      if (!want || !isSafeRelativePath(name)) throw new ArchiveFormatError(o.source, `unexpected entry ${JSON.stringify(h.name)}`);
      if (seen.has(name)) throw new ArchiveFormatError(o.source, `duplicate entry ${name}`);
      if (symlinks.some((s) => name.startsWith(`${s}/`))) throw new ArchiveFormatError(o.source, `entry ${name} goes through a symlink`);
      seen.add(name);
      const target = join(dir as string, name);
      const type = h.type === 'directory' ? 'dir' : h.type === 'symlink' ? 'symlink' : h.type === 'file' ? 'file' : 'other';
      if (type !== want.type) throw new ArchiveFormatError(o.source, `${name} is a ${h.type ?? '?'} but the manifest says ${want.type}`);
      if (type === 'dir') {
        await mkdir(target, { recursive: true, mode: want.mode });
        entry.resume();
      } else if (type === 'symlink') {
        if (!name.startsWith('files/')) throw new ArchiveFormatError(o.source, `symlink outside files/: ${name}`);
        await mkdir(dirname(target), { recursive: true });
        await symlink(want.target ?? h.linkname ?? '', target);
        symlinks.push(name);
        entry.resume();
      } else {
        if ((h.size ?? -1) !== want.size) throw new ArchiveFormatError(o.source, `${name} has ${h.size} bytes, the manifest says ${want.size}`);
        await ensureDir(dirname(target));
        const hash = createHash('sha256');
        if (want.size <= SMALL_FILE) {
          // Small entries: collect and write once ('wx': never through an existing path).
          const parts: Buffer[] = [];
          for await (const c of entry) parts.push(c as Buffer);
          const body = Buffer.concat(parts);
          hash.update(body);
          bytes += body.length;
          o.onProgress?.(bytes, manifest.totalBytes);
          try {
            writeFileSync(target, body, { flag: 'wx', mode: want.mode });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(dirname(target), manifest.totalBytes, 0);
            throw err;
          }
          const actual = hash.digest('hex');
          if (want.sha256 && actual !== want.sha256) throw new ChecksumMismatchError(name, want.sha256, actual, o.source);
          keepTimes(target, want);
          continue;
        }
        const tap = new Transform({
          transform(chunk: Buffer, _e, cb) {
            hash.update(chunk);
            bytes += chunk.length;
            o.onProgress?.(bytes, manifest?.totalBytes ?? 0);
            cb(null, chunk);
          },
        });
        try {
          // 'wx': never open an existing path (and so never follow a planted symlink).
          await pipeline(entry, tap, createWriteStream(target, { flags: 'wx', mode: want.mode }));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(dirname(target), manifest.totalBytes, 0);
          throw err;
        }
        const actual = hash.digest('hex');
        if (want.sha256 && actual !== want.sha256) throw new ChecksumMismatchError(name, want.sha256, actual, o.source);
        keepTimes(target, want);
      }
    }
    await feeding;
    if (!manifest || !dir) throw new ArchiveFormatError(o.source, 'empty archive');
    const missing = [...expected.keys()].filter((p) => !seen.has(p));
    if (missing.length) throw new ArchiveFormatError(o.source, `truncated: ${missing.length} entries missing (first: ${missing[0]})`);
    return { manifest, dir };
  } catch (err) {
    extract.destroy();
    input.destroy();
    if (created && dir) await rm(dir, { recursive: true, force: true });
    if (err instanceof ZincError) throw err;
    // tar-stream's own parse errors ("Invalid tar header") and truncated input.
    throw new ArchiveFormatError(o.source, (err as Error).message);
  }
}

/**
 * A file arrives with the times it had at the dump: a job may check the mtime of a file it has
 * open or mapped. Synchronous: ~10 µs, and small files are written inside a migration's downtime.
 */
function keepTimes(target: string, want: FileEntry): void {
  try {
    utimesSync(target, (want.atimeMs ?? Date.now()) / 1000, want.mtimeMs / 1000);
  } catch {
    // Times are kept where the file system allows; the content was verified.
  }
}

export function parseManifest(text: string, source: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ArchiveFormatError(source, `manifest.json is not JSON (${(err as Error).message})`);
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ArchiveFormatError(source, `manifest.json: ${i?.path.join('.') ?? ''} ${i?.message ?? 'invalid'}`);
  }
  for (const f of r.data.files) {
    if (!isSafeRelativePath(f.path)) throw new ArchiveFormatError(source, `manifest lists an unsafe path ${JSON.stringify(f.path)}`);
  }
  return r.data;
}

function checkSpace(dir: string, needed: number): void {
  mkdirSync(dir, { recursive: true });
  const s = statfsSync(dir);
  const available = Number(s.bavail) * Number(s.bsize);
  const size = Number(s.blocks) * Number(s.bsize);
  // Leave some slack so the host does not end up with a completely full disk: 64 MiB, or an
  // eighth of a small filesystem (a tmpfs scratch area).
  const slack = Math.min(64 * 1024 * 1024, Math.floor(size / 8));
  if (available < needed + slack) throw new DiskFullError(dir, needed, available);
}
