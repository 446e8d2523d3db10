/**
 * Copy a job's directory tree (stdout, stderr, work/) preserving modes, times and symlinks.
 * Node's fs.cp makes several thread-pool round trips per file, which adds ~15 ms for a few small
 * files — inside a job's downtime. Small trees (the usual case) are copied synchronously, with
 * copy_file_range underneath copyFileSync; large ones fall back to the asynchronous fs.cp so the
 * event loop is not blocked for long.
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, utimesSync, chmodSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';

const SYNC_MAX_BYTES = 32 * 1024 * 1024;
const SYNC_MAX_ENTRIES = 2000;

export async function copyTree(src: string, dst: string): Promise<void> {
  if (isSmall(src)) copyTreeSync(src, dst);
  else await cp(src, dst, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
}

function isSmall(root: string): boolean {
  let bytes = 0;
  let entries = 0;
  const walk = (p: string): boolean => {
    const st = lstatSync(p);
    entries++;
    if (st.isFile()) bytes += st.size;
    if (bytes > SYNC_MAX_BYTES || entries > SYNC_MAX_ENTRIES) return false;
    if (st.isDirectory()) for (const n of readdirSync(p)) if (!walk(join(p, n))) return false;
    return true;
  };
  return walk(root);
}

export function copyTreeSync(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(src), dst);
    return;
  }
  if (st.isDirectory()) {
    mkdirSync(dst, { mode: st.mode & 0o7777 });
    for (const n of readdirSync(src)) copyTreeSync(join(src, n), join(dst, n));
    chmodSync(dst, st.mode & 0o7777);
    utimesSync(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
    return;
  }
  if (st.isFile()) {
    copyFileSync(src, dst);
    chmodSync(dst, st.mode & 0o7777);
    utimesSync(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
  }
  // Sockets, fifos and devices in a job's directory are not copied (nor carried in archives).
}
