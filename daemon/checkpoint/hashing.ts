/** Streaming sha256 of files, and the checkpoint's file list. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry } from './manifest.js';

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Every file, directory and symlink under root/<top> for each top, in a stable order, hashed. */
export async function listTree(root: string, tops: string[], hash: boolean): Promise<FileEntry[]> {
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
      const e: FileEntry = { path: rel, type: 'file', size: st.size, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs };
      if (hash) e.sha256 = await sha256File(abs);
      out.push(e);
    }
    // Sockets, fifos and devices in a job's directory are not carried; CRIU handles open ones.
  }
  for (const t of tops) await walk(t);
  return out;
}
