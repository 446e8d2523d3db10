/** The checkpoint's file list, with sha256 of every file (large ones computed on the hash worker). */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedHasher } from './hasher.js';
import type { FileEntry } from './manifest.js';

export type KnownHashes = Map<string, { sha256: string; bytes: number }>;

export async function sha256File(path: string): Promise<string> {
  const [r] = await sharedHasher().hash([path]);
  return r?.sha256 ?? '';
}

/** Files up to this size are hashed inline; larger ones go to the hash worker. */
const INLINE_HASH_BYTES = 64 * 1024;

/**
 * Every file, directory and symlink under root/<top> for each top, in a stable order. With
 * `hash`, every file gets its sha256; `known` supplies digests computed earlier (e.g. while CRIU
 * was still writing), used only when the byte count matches the file's size.
 *
 * This runs while the job is stopped (checkpoint, migration), on trees of a few dozen CRIU images
 * and the job's files. The walk and the small files are done synchronously: each call takes
 * microseconds, whereas a round trip through libuv's thread pool per file added several
 * milliseconds (and tens under load) to a post-copy migration's downtime.
 */
export async function listTree(root: string, tops: string[], hash: boolean, known: KnownHashes = new Map()): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  function walk(rel: string): void {
    const abs = join(root, rel);
    const st = lstatSync(abs);
    if (st.isDirectory()) {
      out.push({ path: rel, type: 'dir', size: 0, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs });
      for (const name of readdirSync(abs).sort()) walk(`${rel}/${name}`);
    } else if (st.isFile()) {
      out.push({ path: rel, type: 'file', size: st.size, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs, atimeMs: st.atimeMs });
    }
    // Symlinks, sockets, fifos and devices in a job's directory are not carried (only plain files
    // are restored, see archive-reader.ts); CRIU handles open ones.
  }
  for (const t of tops) walk(t);
  if (hash) {
    const todo: FileEntry[] = [];
    for (const e of out) {
      if (e.type !== 'file') continue;
      const k = known.get(join(root, e.path));
      if (k && k.bytes === e.size) e.sha256 = k.sha256;
      else if (e.size <= INLINE_HASH_BYTES) e.sha256 = inlineSha256(join(root, e.path), e);
      else todo.push(e);
    }
    const results = await sharedHasher().hash(todo.map((e) => join(root, e.path)));
    todo.forEach((e, i) => (e.sha256 = results[i]?.sha256));
  }
  return out;
}

/** sha256 of a small file; its size is taken from what was read, so a file that changed since
 * the walk is described as it is hashed. */
function inlineSha256(path: string, e: FileEntry): string {
  const body = readFileSync(path);
  e.size = body.length;
  return createHash('sha256').update(body).digest('hex');
}
