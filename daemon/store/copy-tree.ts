/**
 * Copy a job's directory tree (stdout, stderr, work/) preserving modes, times and symlinks.
 * Node's fs.cp makes several thread-pool round trips per file, which adds ~15 ms for a few small
 * files — inside a job's downtime. Small trees (the usual case) are copied synchronously, with
 * copy_file_range underneath copyFileSync; large ones fall back to the asynchronous fs.cp so the
 * event loop is not blocked for long.
 */
import { chmodSync, closeSync, constants, copyFileSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, symlinkSync, utimesSync } from 'node:fs';
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
  // zincd (root) copies trees that the job's user can change meanwhile (a job's files): each
  // directory and file is opened without following a link, and used only through that open
  // descriptor (/proc/self/fd/N), so a path swapped for a symlink after the lstat cannot make
  // root copy, say, /etc/shadow into the job's files.
  if (st.isDirectory()) {
    const fd = openNoFollow(src, constants.O_DIRECTORY);
    if (fd === undefined) return;
    try {
      const at = `/proc/self/fd/${fd}`;
      mkdirSync(dst, { mode: st.mode & 0o7777 });
      for (const n of readdirSync(at)) copyTreeSync(join(at, n), join(dst, n));
    } finally {
      closeSync(fd);
    }
    chmodSync(dst, st.mode & 0o7777);
    utimesSync(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
    return;
  }
  if (st.isFile()) {
    const fd = openNoFollow(src, constants.O_NONBLOCK);
    if (fd === undefined) return;
    try {
      if (!fstatSync(fd).isFile()) return;
      copyFileSync(`/proc/self/fd/${fd}`, dst);
    } finally {
      closeSync(fd);
    }
    chmodSync(dst, st.mode & 0o7777);
    utimesSync(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
  }
  // Sockets, fifos and devices in a job's directory are not copied (nor carried in archives).
}

/** O_RDONLY|O_NOFOLLOW|extra; undefined when the path is (by now) a link or gone. */
function openNoFollow(path: string, extra: number): number | undefined {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | extra);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}
