/**
 * Archive files named by a user: `zinc restart FILE` reads one, `zinc checkpoint -o FILE` writes
 * one. zincd runs as root, so it acts on such a path only as the caller could have: it reads a
 * regular file the caller may read (never a device, FIFO or link: /dev/zero would be read for
 * ever), and it creates a new file (never replacing or following anything) in a directory the
 * caller may write to, owned by the caller and readable only by them (it holds the job's memory
 * and environment).
 */
import { constants, type Stats } from 'node:fs';
import { link, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { permits, type FileOwner } from './file-access.js';
import { ArchivePathError, CheckpointNotFoundError } from './errors.js';

const R = 4;
const W = 2;
const X = 1;

/** Can `who` search every directory above `path`? */
async function canReach(path: string, who: FileOwner): Promise<boolean> {
  for (let d = dirname(path); ; d = dirname(d)) {
    const st = await stat(d).catch(() => undefined);
    if (!st || !permits(st, who, X)) return false;
    if (d === '/') return true;
  }
}

/** Open `path` for a restore by `who`; the caller gets a regular file's handle or an error. */
export async function openArchiveToRead(path: string, who: FileOwner): Promise<FileHandle> {
  const notFound = () => new CheckpointNotFoundError(`archive ${path} does not exist or is not readable by uid ${who.uid}`, 'Give the path of a file written by `zinc checkpoint -o` that you can read');
  if (!(await canReach(path, who))) throw notFound();
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the path is the file.
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new ArchivePathError(path, 'it is a symbolic link', 'Give the path of the archive itself');
    throw notFound();
  }
  let st: Stats;
  try {
    st = await fh.stat();
  } catch {
    await fh.close();
    throw notFound();
  }
  if (!permits(st, who, R)) {
    await fh.close();
    throw notFound();
  }
  if (!st.isFile()) {
    await fh.close();
    throw new ArchivePathError(path, 'it is not a regular file', 'Give the path of a file written by `zinc checkpoint -o`');
  }
  return fh;
}

export interface ArchiveOutput {
  /** A new, empty file only `who` (and root) can read; write the archive here. */
  handle: FileHandle;
  /** Make it appear at the requested path (fails, removing it, if that path exists by now). */
  publish(): Promise<void>;
  /** Remove what was written. */
  discard(): Promise<void>;
}

/**
 * A new archive file for `who` at `path`, written next to it under a temporary name and linked
 * into place only when complete: link(2) never replaces an existing path (nor follows a link).
 */
export async function createArchiveOutput(path: string, who: FileOwner): Promise<ArchiveOutput> {
  const dir = dirname(path);
  const dst = await stat(dir).catch(() => undefined);
  if (!dst?.isDirectory()) throw new ArchivePathError(path, `${dir} is not a directory`, 'Choose a -o path in an existing directory');
  if (!(await canReach(path, who)) || !permits(dst, who, W | X)) {
    throw new ArchivePathError(path, `uid ${who.uid} may not create files in ${dir}`, 'Choose a -o path in a directory you can write to');
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing) throw new ArchivePathError(path, 'it already exists', 'Choose a new -o path (an archive never replaces a file)');
  const tmp = `${path}.partial-${process.pid}-${Date.now()}`;
  let handle: FileHandle;
  try {
    handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new ArchivePathError(path, (err as Error).message, 'Choose another -o path');
  }
  try {
    await handle.chown(who.uid, who.gid);
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw new ArchivePathError(path, (err as Error).message, 'Choose another -o path');
  }
  return {
    handle,
    publish: async () => {
      try {
        await link(tmp, path);
      } catch (err) {
        throw new ArchivePathError(path, (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'it was created meanwhile' : (err as Error).message, 'Choose a new -o path');
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
    },
    discard: () => unlink(tmp).catch(() => undefined),
  };
}
