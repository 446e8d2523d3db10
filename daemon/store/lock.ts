/**
 * One zincd per state directory. The lock file holds the owner's pid and its start time (from
 * /proc), so a lock left by a daemon that was killed -9 is recognised as stale even if the pid
 * has been reused, or while the dead owner is still a zombie waiting to be reaped (an init that
 * reaps orphans by polling can take seconds).
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { ZincError } from '../common/zinc-error.js';
import { isRunningProcess, processStartTime } from '../host/proc.js';

export class StateDirLockedError extends ZincError {
  readonly code = 'STATE_DIR_LOCKED';
  override readonly kind = 'conflict';
  constructor(readonly path: string, readonly pid: number) {
    super(`another zincd (pid ${pid}) is using ${path}`, {
      hint: `Stop it first (kill ${pid}), or give this daemon its own --state-dir`,
      context: { path, pid },
    });
  }
}

export function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) }));
      closeSync(fd);
      return () => {
        try {
          const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
          if (owner.pid === process.pid) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: { pid?: number; start?: number } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        // unreadable lock: treat as stale
      }
      if (owner.pid && owner.pid !== process.pid && owner.start !== undefined && isRunningProcess(owner.pid, owner.start)) {
        throw new StateDirLockedError(path, owner.pid);
      }
      rmSync(path, { force: true });
    }
  }
  throw new StateDirLockedError(path, 0);
}
