/**
 * What a job's user could find out about a path on this host by themselves, from the permission
 * bits (ACLs and capabilities other than root's are not considered). The pre-flight uses it to say
 * only what the job's user could already see: it must not become an oracle for the existence or
 * size of files the job does not own (e.g. /etc/shadow asked about by a peer's offer).
 */
import { execFile } from 'node:child_process';
import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface FileOwner {
  uid: number;
  gid: number;
  /** Supplementary groups, with gid. */
  groups: readonly number[];
}

const R = 4;
const X = 1;

/** Does `who` have `bits` (R, X) on a file with these stats? Root has every read and search. */
export function permits(st: Pick<Stats, 'uid' | 'gid' | 'mode'>, who: FileOwner, bits: number): boolean {
  if (who.uid === 0) return true;
  const mode = st.mode & 0o777;
  if (st.uid === who.uid) return ((mode >> 6) & bits) === bits;
  if (st.gid === who.gid || who.groups.includes(st.gid)) return ((mode >> 3) & bits) === bits;
  return (mode & bits) === bits;
}

/** Can `who` reach every directory above `path` (search permission on each)? */
function canTraverse(path: string, who: FileOwner): boolean {
  const dirs: string[] = [];
  for (let d = dirname(path); ; d = dirname(d)) {
    dirs.push(d);
    if (d === '/' || d === '.') break;
  }
  for (const d of dirs) {
    try {
      if (!permits(statSync(d), who, X)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export type Visibility =
  /** The user can read it (or, for an executable, run it): its state may be described. */
  | 'readable'
  /** It does not exist, in a directory the user can list: its absence is no secret. */
  | 'visibly-absent'
  /** Anything else: nothing about it may be said. */
  | 'hidden';

export function visibility(path: string, who: FileOwner, executable: boolean): Visibility {
  if (!path.startsWith('/') || !canTraverse(path, who)) return 'hidden';
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    try {
      return permits(statSync(dirname(path)), who, R | X) ? 'visibly-absent' : 'hidden';
    } catch {
      return 'hidden';
    }
  }
  return permits(st, who, R) || (executable && permits(st, who, X)) ? 'readable' : 'hidden';
}

/** The user's groups as this host's NSS knows them (`id -G`); just the gid if that fails. */
export async function ownerOf(uid: number, gid: number): Promise<FileOwner> {
  if (uid === 0) return { uid, gid, groups: [gid] };
  try {
    const { stdout } = await execFileAsync('id', ['-G', String(uid)], { timeout: 5000 });
    const groups = stdout.trim().split(/\s+/).map(Number).filter((g) => Number.isInteger(g) && g >= 0);
    return { uid, gid, groups: [...new Set([gid, ...groups])] };
  } catch {
    return { uid, gid, groups: [gid] };
  }
}
