/**
 * Starts a job's supervisor (the C shim, daemon/shim/zinc-shim.c) and waits for its one-line
 * report. The shim double-forks away from zincd, so the job outlives any zincd restart.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobStartError, SupervisorMissingError } from './errors.js';

export interface ShimStarted {
  shimPid: number;
  jobPid: number;
}

/** build/zinc-shim next to this installation (dist/daemon/jobs/ or daemon/jobs/ → ../../build). */
export function defaultShimPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [join(here, '..', '..', '..', 'build', 'zinc-shim'), join(here, '..', '..', 'build', 'zinc-shim')]) {
    if (existsSync(c)) return c;
  }
  return join(here, '..', '..', '..', 'build', 'zinc-shim');
}

export interface RunOptions {
  gpid: string;
  ctlDir: string;
  stdout: string;
  stderr: string;
  cwd: string;
  user: string;
  uid: number;
  gid: number;
  argv: string[];
  env: string[];
  jobCgroupProcs: string[];
  shimCgroupProcs: string[];
}

export async function launchJob(shim: string, o: RunOptions): Promise<ShimStarted> {
  const argvFile = join(o.ctlDir, 'argv');
  const envFile = join(o.ctlDir, 'env');
  await writeFile(argvFile, o.argv.map((a) => `${a}\0`).join(''));
  await writeFile(envFile, o.env.map((e) => `${e}\0`).join(''), { mode: 0o600 });
  const args = [
    'run', '--ctl', o.ctlDir, '--stdout', o.stdout, '--stderr', o.stderr, '--cwd', o.cwd,
    '--user', o.user, '--uid', String(o.uid), '--gid', String(o.gid),
    '--argv-file', argvFile, '--env-file', envFile,
    ...o.jobCgroupProcs.flatMap((p) => ['--job-cgroup', p]),
    ...o.shimCgroupProcs.flatMap((p) => ['--shim-cgroup', p]),
  ];
  return runShim(shim, args, o.gpid).started;
}

export interface RestoreOptions {
  gpid: string;
  ctlDir: string;
  pidfile: string;
  jobCgroupProcs: string[];
  shimCgroupProcs: string[];
  criuArgv: string[];
}

function restoreShimArgs(o: RestoreOptions, waitGo: boolean): string[] {
  return [
    'restore', '--ctl', o.ctlDir, '--pidfile', o.pidfile,
    ...o.jobCgroupProcs.flatMap((p) => ['--job-cgroup', p]),
    ...o.shimCgroupProcs.flatMap((p) => ['--shim-cgroup', p]),
    ...(waitGo ? ['--wait-go'] : []),
    '--', ...o.criuArgv,
  ];
}

export async function launchRestore(shim: string, o: RestoreOptions): Promise<ShimStarted> {
  return runShim(shim, restoreShimArgs(o, false), o.gpid).started;
}

/** A restore supervisor started ahead of time; `go()` runs CRIU, `cancel()` drops it. */
export interface PreparedRestore {
  go(): Promise<ShimStarted>;
  cancel(): void;
}

export function prepareRestore(shim: string, o: RestoreOptions): PreparedRestore {
  const run = runShim(shim, restoreShimArgs(o, true), o.gpid);
  run.started.catch(() => undefined);
  return {
    go: () => {
      run.stdin?.end('go\n');
      return run.started;
    },
    cancel: () => run.stdin?.end(),
  };
}

function runShim(shim: string, args: string[], gpid: string): { started: Promise<ShimStarted>; stdin: NodeJS.WritableStream | undefined } {
  if (!existsSync(shim)) return { started: Promise.reject(new SupervisorMissingError(shim)), stdin: undefined };
  const waitGo = args.includes('--wait-go');
  const child = spawn(shim, args, { detached: true, stdio: [waitGo ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const started = new Promise<ShimStarted>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new JobStartError(gpid, `cannot run the supervisor ${shim}: ${e.message}`)));
    child.on('close', () => {
      const line = out.split('\n')[0] ?? '';
      const m = /^ok (\d+) (\d+)$/.exec(line);
      if (m) return resolve({ shimPid: Number(m[1]), jobPid: Number(m[2]) });
      const detail = line.startsWith('error ') ? line.slice(6) : (line || err.trim() || 'the supervisor exited without a report');
      reject(new JobStartError(gpid, detail));
    });
  });
  return { started, stdin: child.stdin ?? undefined };
}
