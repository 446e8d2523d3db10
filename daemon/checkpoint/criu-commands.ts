/**
 * The CRIU command lines zinc uses, in one place. Options and why:
 * - `--manage-cgroups=ignore`: zinc places jobs in its own cgroups on every host; the source's
 *   cgroup paths mean nothing elsewhere.
 * - `--file-locks`: jobs may hold flock()/fcntl locks.
 * - `--link-remap`: a job may hold a deleted file open (a common temp-file idiom).
 * - `--freeze-cgroup`: freeze through the job's cgroup, atomically for the whole tree (a process
 *   cannot fork its way out between freezing and seizing).
 * - no `--tcp-established`: an open TCP connection cannot follow a job to another host; CRIU then
 *   refuses the dump with a clear message, and zinc reports it.
 * - `-v4`: complete logs; the relevant lines are quoted in errors and the log path is given.
 *   Post-copy uses `-v2` (errors and warnings) instead: CRIU writes its log line by line while the
 *   job is stopped, and for a 256 MiB job `-v4` was measured to add ~30 ms to the dump and to the
 *   restore, a third of the downtime post-copy exists to avoid.
 */
export const CRIU_LOG_FULL = '-v4';
export const CRIU_LOG_POSTCOPY = '-v2';

export interface DumpOptions {
  pid: number;
  imagesDir: string;
  workDir: string;
  logName: string;
  leaveRunning: boolean;
  freezeCgroup: string | undefined;
  lazy?: { address: string; port: number } | undefined;
  /** Leave the tree stopped (SIGSTOP) after the dump instead of running or killing it. */
  leaveStopped?: boolean;
}

export function dumpArgs(o: DumpOptions): string[] {
  return [
    'dump',
    '-t', String(o.pid),
    '-D', o.imagesDir,
    '-W', o.workDir,
    '-o', o.logName,
    o.lazy ? CRIU_LOG_POSTCOPY : CRIU_LOG_FULL,
    '--manage-cgroups=ignore',
    '--file-locks',
    '--link-remap',
    ...(o.freezeCgroup ? ['--freeze-cgroup', o.freezeCgroup] : []),
    ...(o.leaveStopped ? ['--leave-stopped'] : o.leaveRunning ? ['--leave-running'] : []),
    ...(o.lazy ? ['--lazy-pages', '--address', o.lazy.address, '--port', String(o.lazy.port)] : []),
  ];
}

export interface RestoreArgsOptions {
  imagesDir: string;
  workDir: string;
  logName: string;
  pidfile: string;
  lazy?: boolean;
  /** Leave the restored tree stopped (SIGSTOP), e.g. until its checksums are verified. */
  leaveStopped?: boolean;
}

/** `--restore-sibling -d`: the restored tree becomes the caller's (the shim's) child, so the shim
 * gets its real exit status; CRIU itself exits once the tree runs. */
export function restoreArgs(o: RestoreArgsOptions): string[] {
  return [
    'restore',
    '-D', o.imagesDir,
    '-W', o.workDir,
    '-o', o.logName,
    o.lazy ? CRIU_LOG_POSTCOPY : CRIU_LOG_FULL,
    '--restore-sibling',
    '-d',
    '--pidfile', o.pidfile,
    '--manage-cgroups=ignore',
    '--file-locks',
    '--link-remap',
    ...(o.lazy ? ['--lazy-pages'] : []),
    ...(o.leaveStopped ? ['--leave-stopped'] : []),
  ];
}
