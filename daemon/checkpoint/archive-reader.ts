/**
 * Unpacks a checkpoint archive (from a file or a migration stream) into a checkpoint directory,
 * trusting nothing: manifest.json must come first and be valid; every later entry must be listed
 * in it, stay inside images/ or files/, be a plain file or directory (no symlink, hard link,
 * device or FIFO), and match its size and sha256 — checked while the bytes stream through, so a
 * corrupt or hostile archive is rejected at the first bad entry. Nothing is written outside
 * `targetDir`, and a failed extraction removes only what it wrote itself. The checkpoint directory,
 * images/ and the manifest are root's alone (0700/0600); files/ keeps the job's own modes (CRIU
 * checks the mode of every file it reopens) minus setuid/setgid/sticky bits, and is reachable
 * only through the 0700 directory; the restore gives it to the job's owner (file-safety.ts).
 * A stream that stops sending fails after an idle timeout.
 */
import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { ZincError } from '../common/zinc-error.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../store/modes.js';
import { ArchiveFormatError, ArchiveInterruptedError, ChecksumMismatchError, DiskFullError } from './errors.js';
import { isSafeRelativePath, manifestSchema, type FileEntry, type Manifest } from './manifest.js';

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** A sender (file or peer) that sends nothing for this long has stopped: fail, do not hang. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Entries up to this size are buffered and written in one call. */
const SMALL_FILE = 256 * 1024;

export interface ExtractOptions {
  /** For messages: "archive /x.tar" or "migration from h1". */
  source: string;
  /** Called with the manifest before anything is written; returns the directory to unpack into
   * (it must not exist yet), or throws to refuse (pre-flight). */
  onManifest: (m: Manifest) => Promise<string>;
  onProgress?: (bytes: number, total: number) => void;
  /** Fail when no byte arrives for this long (default DEFAULT_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
}

export interface Extracted {
  manifest: Manifest;
  dir: string;
}

export async function extractCheckpoint(input: Readable, o: ExtractOptions): Promise<Extracted> {
  const extract = tar.extract();
  const idleMs = o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let idle: NodeJS.Timeout | undefined;
  const stalled = () => extract.destroy(new ArchiveInterruptedError(o.source, `no data for ${Math.round(idleMs / 1000)} s: the sender stopped`));
  // A failing input (a dropped connection) is not a malformed archive: say which it was.
  let cutOff: Error | undefined;
  input.once('error', (err: Error) => (cutOff = err));
  // Every chunk re-arms the timer; an entry that declares more bytes than ever arrive then fails.
  const watchdog = new Transform({
    transform(chunk: Buffer, _e, cb) {
      idle?.refresh();
      cb(null, chunk);
    },
  });
  idle = setTimeout(stalled, idleMs);
  const feeding = pipeline(input, watchdog, extract).catch((err: unknown) => {
    extract.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  let manifest: Manifest | undefined;
  let dir: string | undefined;
  let created = false;
  const expected = new Map<string, FileEntry>();
  const seen = new Set<string>();
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
        // The manifest's total is the sender's word: reserve at least what its entries declare.
        checkSpace(dirname(dir), Math.max(manifest.totalBytes, manifest.files.reduce((n, f) => n + f.size, 0)));
        mkdirSync(dir, { recursive: false, mode: PRIVATE_DIR });
        created = true;
        mkdirSync(join(dir, 'images'), { mode: PRIVATE_DIR });
        // It holds the job's environment: root's alone.
        writeFileSync(join(dir, 'manifest.json'), manifestText, { mode: PRIVATE_FILE });
        continue;
      }
      const name = h.name.replace(/\/+$/, '');
      const want = expected.get(name);
      if (!want || !isSafeRelativePath(name)) throw new ArchiveFormatError(o.source, `unexpected entry ${JSON.stringify(h.name)}`);
      if (seen.has(name)) throw new ArchiveFormatError(o.source, `duplicate entry ${name}`);
      seen.add(name);
      const target = join(dir as string, name);
      const type = h.type === 'directory' ? 'dir' : h.type === 'symlink' ? 'symlink' : h.type === 'file' ? 'file' : 'other';
      // Only plain files and directories travel with a job: a symlink could point zincd (root)
      // at any file when it later reads the job's output, a hard link or device node could alias
      // one, and FIFOs are not supported in files/ (issue 18 may add them, as files, later).
      if (type !== 'file' && type !== 'dir') throw new ArchiveFormatError(o.source, `${name} is a ${h.type ?? '?'}; only plain files and directories are restored`);
      if (type !== want.type) throw new ArchiveFormatError(o.source, `${name} is a ${h.type ?? '?'} but the manifest says ${want.type}`);
      // images/ are root's alone; the job's files keep their modes without special bits.
      const mode = name.startsWith('files/') ? want.mode & 0o777 : type === 'dir' ? PRIVATE_DIR : PRIVATE_FILE;
      if (type === 'dir') {
        await mkdir(target, { recursive: true, mode });
        chmodSync(target, mode);
        entry.resume();
      } else {
        if ((h.size ?? -1) !== want.size) throw new ArchiveFormatError(o.source, `${name} has ${h.size} bytes, the manifest says ${want.size}`);
        await ensureDir(dirname(target));
        // parseManifest refuses file entries without a digest; checked again where it is used.
        const wantSha = want.sha256;
        if (!wantSha) throw new ArchiveFormatError(o.source, `${name} has no sha256 in the manifest`);
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
            writeFileSync(target, body, { flag: 'wx', mode });
            chmodSync(target, mode); // exactly (not less the umask): CRIU compares modes
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(dirname(target), manifest.totalBytes, 0);
            throw err;
          }
          const actual = hash.digest('hex');
          if (actual !== wantSha) throw new ChecksumMismatchError(name, wantSha, actual, o.source);
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
          await pipeline(entry, tap, createWriteStream(target, { flags: 'wx', mode }));
          chmodSync(target, mode);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(dirname(target), manifest.totalBytes, 0);
          throw err;
        }
        const actual = hash.digest('hex');
        if (actual !== wantSha) throw new ChecksumMismatchError(name, wantSha, actual, o.source);
        keepTimes(target, want);
      }
    }
    await feeding;
    if (!manifest || !dir) throw new ArchiveFormatError(o.source, 'empty archive');
    const missing = [...expected.keys()].filter((p) => !seen.has(p));
    if (missing.length) throw new ArchiveFormatError(o.source, `truncated: ${missing.length} entries missing (first: ${missing[0]})`);
    clearTimeout(idle);
    return { manifest, dir };
  } catch (err) {
    extract.destroy();
    input.destroy();
    clearTimeout(idle);
    if (created && dir) await rm(dir, { recursive: true, force: true });
    if (err instanceof ZincError) throw err;
    if (cutOff) throw new ArchiveInterruptedError(o.source, cutOff.message);
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
    // Every file is verified against its digest; one without is refused, never trusted.
    if (f.type === 'file' && !f.sha256) throw new ArchiveFormatError(source, `manifest lists ${f.path} without a sha256`);
    if (f.type === 'symlink') throw new ArchiveFormatError(source, `manifest lists a symlink (${f.path}); only plain files and directories are restored`);
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
