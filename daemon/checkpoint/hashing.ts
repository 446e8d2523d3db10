/** The checkpoint's file list, with sha256 of every file (computed on the hash worker). */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedHasher } from './hasher.js';
import type { FileEntry } from './manifest.js';

export type KnownHashes = Map<string, { sha256: string; bytes: number }>;

export async function sha256File(path: string): Promise<string> {
  const [r] = await sharedHasher().hash([path]);
  return r?.sha256 ?? '';
}

/**
 * Every file, directory and symlink under root/<top> for each top, in a stable order. With
 * `hash`, every file gets its sha256; `known` supplies digests computed earlier (e.g. while CRIU
 * was still writing), used only when the byte count matches the file's size.
 */
export async function listTree(root: string, tops: string[], hash: boolean, known: KnownHashes = new Map()): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = join(root, rel);
    const st = await lstat(abs);
    if (st.isSymbolicLink()) {
      out.push({ path: rel, type: 'symlink', size: 0, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs, target: await readlink(abs) });
    } else if (st.isDirectory()) {
      out.push({ path: rel, type: 'dir', size: 0, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs });
      for (const name of (await readdir(abs)).sort()) await walk(`${rel}/${name}`);
    } else if (st.isFile()) {
      out.push({ path: rel, type: 'file', size: st.size, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs });
    }
    // Sockets, fifos and devices in a job's directory are not carried; CRIU handles open ones.
  }
  for (const t of tops) await walk(t);
  if (hash) {
    const todo: FileEntry[] = [];
    for (const e of out) {
      if (e.type !== 'file') continue;
      const k = known.get(join(root, e.path));
      if (k && k.bytes === e.size) e.sha256 = k.sha256;
      else todo.push(e);
    }
    const results = await sharedHasher().hash(todo.map((e) => join(root, e.path)));
    todo.forEach((e, i) => (e.sha256 = results[i]?.sha256));
  }
  return out;
}
