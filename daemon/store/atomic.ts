/**
 * Crash-safe file updates: write a temporary file next to the target, fsync it, rename it over the
 * target, fsync the directory. A reader (or a daemon restarting after kill -9) sees either the old
 * or the new content, never a torn one.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;
function tmpName(path: string): string {
  counter = (counter + 1) % 1_000_000;
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter}`);
}

/** `durable: false` keeps the atomic rename but skips both fsyncs (still never torn, but may be
 * lost on power failure): for records that can be rebuilt. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, durable = true): Promise<void> {
  const tmp = tmpName(path);
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  if (durable) await syncDir(dirname(path));
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = tmpName(path);
  const fd = openSync(tmp, 'w', mode);
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // best effort
    }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  syncDirSync(dirname(path));
}

/** fsync one file or directory by path. */
async function syncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory, so that the entries created or renamed in it are durable. */
export const syncDir: (dir: string) => Promise<void> = syncPath;

export function syncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync every file and directory under `root` (not following symlinks), e.g. a checkpoint before
 * its manifest makes it count: the manifest is durable, so what it vouches for must be too. */
export async function syncTree(root: string): Promise<void> {
  const entries = await readdir(root, { withFileTypes: true });
  for (const e of entries) {
    const p = join(root, e.name);
    if (e.isDirectory()) await syncTree(p);
    else if (e.isFile()) await syncPath(p);
  }
  await syncPath(root);
}
