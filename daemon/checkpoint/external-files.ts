/**
 * Files a job uses that do not travel with it: its executables and libraries (mapped) and files
 * it holds open outside its own directory. CRIU needs each to exist with the same size at restore
 * ("has bad size"), so the manifest lists them and the pre-flight checks them first.
 */
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { visibility, type FileOwner } from './file-access.js';
import type { ExternalFile } from './manifest.js';

export function externalFiles(pids: number[], filesDir: string): ExternalFile[] {
  const found = new Map<string, ExternalFile>();
  const add = (path: string, why: ExternalFile['why']) => {
    if (!path.startsWith('/') || path.startsWith(`${filesDir}/`) || path.startsWith('/proc/') || path.startsWith('/dev/')) return;
    if (path.endsWith(' (deleted)') || found.has(path)) return;
    try {
      const st = statSync(path);
      if (st.isFile()) found.set(path, { path, size: st.size, why });
    } catch {
      // vanished or not a plain path
    }
  };
  for (const pid of pids) {
    try {
      add(readlinkSync(`/proc/${pid}/exe`), 'exe');
    } catch {
      // kernel thread or gone
    }
    try {
      for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
        const i = line.indexOf('/');
        if (i > 0) add(line.slice(i), 'mapped');
      }
    } catch {
      // gone
    }
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          add(readlinkSync(`/proc/${pid}/fd/${fd}`), 'open');
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // gone
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Problems with external files on this host, one line each, for a job running as `owner`. A
 * refusal says which file does not match, never how (no size, no "missing"): the answer goes to
 * whoever asked for the restore or sent the migration offer. About a file the job's user could not
 * read here, it says only that: whatever the file's state (even a match), so that an offer cannot
 * probe for the existence or size of files the job does not own.
 */
export function checkExternalFiles(files: ExternalFile[], owner: FileOwner): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const what = f.why === 'exe' ? 'executable' : f.why === 'mapped' ? 'mapped file' : 'open file';
    const seen = visibility(f.path, owner, f.why === 'exe');
    if (seen === 'hidden') {
      problems.push(`${what} ${f.path} is not available to the job's user (uid ${owner.uid}) on this host`);
      continue;
    }
    let size: number | undefined;
    try {
      size = statSync(f.path).size;
    } catch {
      size = undefined;
    }
    if (size !== f.size) problems.push(`${what} ${f.path} is not the same on this host (it must exist, with the size it had at the checkpoint)`);
  }
  return problems;
}
