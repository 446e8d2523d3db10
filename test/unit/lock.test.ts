/** The state directory's lock: one live zincd per directory, and a dead owner never blocks a start. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStartTime, processState } from '../../daemon/host/proc.js';
import { acquireLock, StateDirLockedError } from '../../daemon/store/lock.js';

let dir: string;
let holder: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zinc-lock-'));
});
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const lockAs = (pid: number): void => writeFileSync(join(dir, 'zincd.lock'), JSON.stringify({ pid, start: processStartTime(pid) }));

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe('acquireLock', () => {
  it('refuses while the owner runs, naming its pid', () => {
    holder = spawn('sleep', ['30']);
    const pid = holder.pid ?? 0;
    lockAs(pid);
    expect(() => acquireLock(join(dir, 'zincd.lock'))).toThrow(StateDirLockedError);
    expect(() => acquireLock(join(dir, 'zincd.lock'))).toThrow(new RegExp(`pid ${pid}`));
  });

  it('takes over from an owner that died but is still a zombie (not yet reaped by its parent)', async () => {
    // `sh` forks `true` and becomes `sleep`, which never reaps it: `true` stays a zombie.
    holder = spawn('sh', ['-c', 'true & exec sleep 30']);
    const parent = holder.pid ?? 0;
    let zombie = 0;
    await until('a zombie child', () => {
      const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      zombie = kids.find((k) => processState(k) === 'Z') ?? 0;
      return zombie > 0;
    });
    lockAs(zombie);
    const release = acquireLock(join(dir, 'zincd.lock'));
    expect(JSON.parse(readFileSync(join(dir, 'zincd.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    release();
    expect(existsSync(join(dir, 'zincd.lock'))).toBe(false);
  });

  it('takes over from an owner that is gone, and from an unreadable lock', () => {
    writeFileSync(join(dir, 'zincd.lock'), JSON.stringify({ pid: 2 ** 22 + 1, start: 1 }));
    acquireLock(join(dir, 'zincd.lock'))();
    writeFileSync(join(dir, 'zincd.lock'), '{torn');
    acquireLock(join(dir, 'zincd.lock'))();
  });
});
