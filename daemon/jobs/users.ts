/**
 * Resolves the user a job runs as. Uses `getent passwd` so NSS sources (LDAP, sssd) work as they
 * do for HTCondor and Slurm, not just /etc/passwd.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface UserInfo {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export async function lookupUser(nameOrUid: string): Promise<UserInfo | undefined> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(nameOrUid)) return undefined;
  try {
    const { stdout } = await execFileAsync('getent', ['passwd', nameOrUid], { timeout: 5000 });
    const line = stdout.split('\n')[0] ?? '';
    const f = line.split(':');
    if (f.length < 7) return undefined;
    return { name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/', shell: f[6] ?? '/bin/sh' };
  } catch {
    return undefined; // getent exits 2 for an unknown key
  }
}

/** The group ids `initgroups` gives `user` (what the supervisor gives a job); [gid] if unknown. */
export async function userGroups(user: string, gid: number): Promise<number[]> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(user)) return [gid];
  const key = `${user}:${gid}`;
  const hit = groupsCache.get(key);
  // Cached briefly: a migration's restore asks inside the job's downtime.
  if (hit && hit.at > Date.now() - GROUPS_TTL_MS) return hit.ids;
  let ids: number[];
  try {
    const { stdout } = await execFileAsync('id', ['-G', '--', user], { timeout: 5000 });
    ids = stdout.trim().split(/\s+/).map(Number).filter((n) => Number.isInteger(n) && n >= 0);
  } catch {
    return [gid];
  }
  if (!ids.includes(gid)) ids.unshift(gid);
  groupsCache.set(key, { at: Date.now(), ids });
  return ids;
}

const GROUPS_TTL_MS = 60_000;
const groupsCache = new Map<string, { at: number; ids: number[] }>();
