/**
 * Before any restore: the credentials in the CRIU images (not the manifest) must be the job
 * owner's. CRIU, run as root, gives every restored task exactly the ids and capabilities its image
 * says, so an altered or foreign checkpoint would otherwise come back as root.
 *   - every uid (real, effective, saved, fs) is the owner's uid, every gid the owner's gid;
 *   - supplementary groups are among the owner's groups;
 *   - a non-root owner's tasks hold no capabilities (permitted, effective, inheritable, ambient;
 *     the bounding set only limits, it grants nothing);
 *   - a non-root owner's images carry no user namespace (its ids would be namespace-relative);
 *   - every regular file the images reopen (descriptors, executable, mappings, cwd, root) is one
 *     the owner could open that way: CRIU opens them as root, before it drops to the images'
 *     credentials. The job's own files directory is exempt: the restore fills it with the
 *     archive's files and gives them to the owner.
 * Root's jobs may hold anything.
 */
import { constants, readdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readImageFiles, type ImageFile } from '../criu/image-files.js';
import { permits, type FileOwner } from './file-access.js';
import { readImageCreds, type TaskCreds } from '../criu/image-creds.js';
import { userGroups } from '../jobs/users.js';
import { ImageCredentialsError } from './errors.js';

export interface JobOwner {
  user: string;
  uid: number;
  gid: number;
  /** Supplementary groups the owner may hold (default: looked up like the supervisor does). */
  groups?: number[];
}

const R = 4;
const W = 2;
const X = 1;
/** Linux open(2) flags (not all in node's fs.constants). */
const O_ACCMODE = 0o3;
const O_PATH = 0o10000000;

/** Can `who` search every directory above `path`? */
function reachable(path: string, who: FileOwner): boolean {
  for (let d = dirname(path); ; d = dirname(d)) {
    let st: Stats;
    try {
      st = statSync(d);
    } catch {
      return false;
    }
    if (!permits(st, who, X)) return false;
    if (d === '/') return true;
  }
}

/** The first file the images would reopen that `owner` could not have opened that way. */
export function fileProblem(files: readonly ImageFile[], owner: FileOwner, ownFilesDir: string | undefined): string | undefined {
  for (const f of files) {
    const path = resolve('/', f.name);
    if (ownFilesDir && (path === ownFilesDir || path.startsWith(`${ownFilesDir}/`))) continue;
    const at = `${f.image} would reopen ${f.name}`;
    if (!reachable(path, owner)) return `${at}, which uid ${owner.uid} cannot reach`;
    let st: Stats | undefined;
    try {
      st = statSync(path);
    } catch {
      st = undefined;
    }
    // Gone (a deleted file CRIU recreates from the images): only where the owner may create files.
    if (!st) {
      const parent = (() => {
        try {
          return statSync(dirname(path));
        } catch {
          return undefined;
        }
      })();
      if (!parent || !permits(parent, owner, W | X)) return `${at}, which does not exist and uid ${owner.uid} may not create`;
      continue;
    }
    if (f.flags & O_PATH) continue;
    const acc = f.flags & O_ACCMODE;
    const need = st.isDirectory() ? X : acc === constants.O_WRONLY ? W : acc === constants.O_RDWR ? R | W : R;
    if (!permits(st, owner, need)) return `${at} for ${need & W ? (need & R ? 'reading and writing' : 'writing') : st.isDirectory() ? 'use as a directory' : 'reading'}, which uid ${owner.uid} may not`;
  }
  return undefined;
}

/** The first way `tasks` exceed what `owner` may have, as a phrase; undefined when they do not. */
export function credentialProblem(tasks: readonly TaskCreds[], owner: Required<JobOwner>): string | undefined {
  if (owner.uid === 0) return undefined;
  const allowedGroups = new Set([owner.gid, ...owner.groups]);
  for (const t of tasks) {
    const at = `task ${t.pid} (${t.image})`;
    for (const f of ['uid', 'euid', 'suid', 'fsuid'] as const) {
      if (t[f] !== owner.uid) return `${at} would run with ${f} ${t[f]}`;
    }
    for (const f of ['gid', 'egid', 'sgid', 'fsgid'] as const) {
      if (t[f] !== owner.gid) return `${at} would run with ${f} ${t[f]}`;
    }
    const foreign = t.groups.find((g) => !allowedGroups.has(g));
    if (foreign !== undefined) return `${at} would hold supplementary group ${foreign}`;
    for (const [f, set] of [['cap_prm', t.capPrm], ['cap_eff', t.capEff], ['cap_inh', t.capInh], ['cap_amb', t.capAmb]] as const) {
      if (set.some((w) => w !== 0)) return `${at} would hold capabilities (${f} ${capHex(set)})`;
    }
  }
  return undefined;
}

function capHex(words: readonly number[]): string {
  return `0x${[...words].reverse().map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('')}`;
}

/**
 * Throws ImageCredentialsError (or ImageFormatError for unreadable images); restores nothing.
 * `ownFilesDir`: where the restore puts the job's own files (exempt from the file check).
 */
export async function checkImageOwner(gpid: string, imagesDir: string, owner: JobOwner, ownFilesDir?: string): Promise<void> {
  if (owner.uid === 0) return;
  const who = `${owner.user} (uid ${owner.uid}, gid ${owner.gid})`;
  const userns = readdirSync(imagesDir).find((n) => /^userns-\d+\.img$/.test(n));
  if (userns) throw new ImageCredentialsError(gpid, who, `the images carry a user namespace (${userns})`);
  const tasks = readImageCreds(imagesDir);
  if (tasks.length === 0) throw new ImageCredentialsError(gpid, who, 'the images hold no task credentials at all');
  const groups = owner.groups ?? (await userGroups(owner.user, owner.gid));
  const problem = credentialProblem(tasks, { ...owner, groups }) ?? fileProblem(readImageFiles(imagesDir), { uid: owner.uid, gid: owner.gid, groups }, ownFilesDir);
  if (problem) throw new ImageCredentialsError(gpid, who, problem);
}
