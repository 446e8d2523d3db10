/**
 * The files that travel with a job are plain files and directories owned by the job's user:
 * after they are copied or moved into place (checkpoint, restore, migration), every symlink,
 * FIFO, socket and device node is removed, setuid/setgid/sticky bits are cleared, and ownership is
 * given to the owner (or kept by root). zincd runs as root: a setuid file it copied would be
 * setuid-root, and a symlink it later opened (`zinc logs`) could point at any file.
 */
import { chmodSync, lchownSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface FilesOwner {
  uid: number;
  gid: number;
}

export interface Sanitized {
  /** Paths (relative to the root) removed because they were not plain files or directories. */
  removed: string[];
  /** Paths whose setuid, setgid or sticky bit was cleared. */
  stripped: string[];
}

/** Synchronous: job directories hold a few files, and this runs inside a migration's downtime. */
export function sanitizeTree(root: string, owner?: FilesOwner): Sanitized {
  const out: Sanitized = { removed: [], stripped: [] };
  const walk = (abs: string, rel: string) => {
    const st = lstatSync(abs);
    if (!st.isFile() && !st.isDirectory()) {
      rmSync(abs, { force: true });
      out.removed.push(rel);
      return;
    }
    // lchown/chmod on a path just lstat'ed as a file or directory: this tree is written only by
    // root (a checkpoint's or a migration's private directory) or belongs to a stopped job.
    if (owner) lchownSync(abs, owner.uid, owner.gid);
    if (st.mode & 0o7000) {
      chmodSync(abs, st.mode & 0o777);
      out.stripped.push(rel);
    }
    if (st.isDirectory()) for (const n of readdirSync(abs)) walk(join(abs, n), rel ? `${rel}/${n}` : n);
  };
  walk(root, '');
  return out;
}
