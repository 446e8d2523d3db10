/**
 * Raw mode: the program is checkpointed and restored by CRIU alone, with the very options zinc
 * uses (daemon/checkpoint/criu-commands.ts), on this host: started as zinc starts a job (own PID
 * namespace, session leader, stdin /dev/null, stdout to a file, in a cgroup frozen for the dump),
 * dumped (which ends it), restored under a subreaper as zinc's supervisor restores it, then sent
 * SIGTERM, as `zinc kill --signal TERM` does, to every process of the tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups } from '../../daemon/cgroups/detect.js';
import { dumpArgs, restoreArgs } from '../../daemon/checkpoint/criu-commands.js';
import { destroyCgroupTree, procsUnder } from '../helpers/cgroups.js';
import { REAPER, type Program } from './programs.js';
import { failed, outcomeOf, verdict, type Outcome } from './result.js';

export interface RawOptions {
  criu: string;
  /** Scratch directory for this program (created, and removed afterwards). */
  dir: string;
  /** cgroup of the run, relative to each hierarchy's root (removed afterwards). */
  cgroup: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(c: ChildProcess): Promise<number> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode ?? 128);
  return new Promise((r) => c.once('exit', (code, sig) => r(code ?? (sig ? 128 : 1))));
}

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** The CRIU error lines of a log (the harmless RLIMIT_NOFILE line left out), last few. */
export function criuErrors(log: string): string {
  if (!existsSync(log)) return `(no ${log})`;
  const lines = readFileSync(log, 'utf8').split('\n').filter((l) => /Error|error|fail|Fail/.test(l) && !/RLIMIT_NOFILE/.test(l));
  return lines.slice(-4).join(' | ');
}

function run(argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(argv[0] as string, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    // A CRIU that hangs (see docs/criu.md on breakpoints) must not hold the suite.
    const timer = setTimeout(() => c.kill('SIGKILL'), 120_000);
    c.on('error', (e) => resolve({ code: 127, out: String(e) }));
    c.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 137, out });
    });
  });
}

export async function runRaw(p: Program, o: RawOptions): Promise<Outcome> {
  const t0 = Date.now();
  const ms = () => Date.now() - t0;
  const layout = detectCgroups();
  if (!layout.v2Root) throw new Error('raw mode needs the cgroup v2 hierarchy (for the freezer and for cleanup)');
  const cg = join(layout.v2Root, o.cgroup);
  const work = join(o.dir, 'work');
  const images = join(o.dir, 'images');
  const criuWork = join(o.dir, 'criu');
  const stdout = join(o.dir, 'stdout');
  for (const d of [work, images, criuWork, cg]) mkdirSync(d, { recursive: true });
  const out = () => (existsSync(stdout) ? readFileSync(stdout, 'utf8') : '');
  const children: ChildProcess[] = [];
  try {
    // sh joins the cgroup and execs unshare, whose one child (a sh that execs the program) is
    // PID 1 of its namespace.
    const job = spawn('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && cd "$1" && o=$2 e=$3 && shift 3 && ' +
      // unshare itself complains on stderr when its child is killed by the dump: only the
      // program may write to the program's stderr, which CRIU restores at its dumped size.
      'exec unshare --pid --fork setsid sh -c \'exec "$@" 2>"$0"\' "$e" "$@" </dev/null >"$o" 2>/dev/null',
      cg, work, stdout, join(o.dir, 'stderr'), p.path, ...p.args], { stdio: 'ignore' });
    children.push(job);
    const jobExit = exited(job);
    await until(`${p.name} to print READY`, () => (out().includes('READY') ? true : job.exitCode !== null || verdict(out()) ? false : undefined), 30_000)
      .then((ok) => {
        if (!ok) throw new Error(`${p.name} ended before READY: ${out().trim()}`);
      });
    const pid = Number(readFileSync(`/proc/${job.pid}/task/${job.pid}/children`, 'utf8').trim().split(' ')[0]);
    if (!pid) throw new Error(`no job under unshare ${job.pid}`);

    const dump = await run([o.criu, ...dumpArgs({ pid, imagesDir: images, workDir: criuWork, logName: 'dump.log', leaveRunning: false,
      freezeCgroup: layout.v2Freeze ? cg : undefined })], o.dir);
    if (dump.code !== 0) return failed(`criu dump exited ${dump.code}`, criuErrors(join(criuWork, 'dump.log')), ms());
    await jobExit; // the dump ended the tree; unshare follows it

    // The reaper joins the cgroup before it execs CRIU, so the restored tree is in it too.
    const restore = spawn('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cg, REAPER, o.criu,
      ...restoreArgs({ imagesDir: images, workDir: criuWork, logName: 'restore.log', pidfile: join(criuWork, 'restored.pid') })],
    { cwd: o.dir, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(restore);
    let reaped = '';
    restore.stdout?.on('data', (b: Buffer) => (reaped += b.toString()));
    const restoreExit = exited(restore);
    const criuCode = await until('criu restore to end', () => {
      const m = /cmd-exit (\d+)/.exec(reaped);
      return m ? Number(m[1]) : restore.exitCode !== null ? -1 : undefined;
    }, 60_000);
    if (criuCode !== 0) return failed(`criu restore exited ${criuCode}`, criuErrors(join(criuWork, 'restore.log')), ms());

    for (const q of procsUnder(o.cgroup)) {
      if (q === restore.pid) continue; // the reaper (sh exec'd it) is the supervisor, not the job
      try {
        process.kill(q, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await until(`${p.name}'s verdict after the restore`, () => verdict(out()) ?? (restore.exitCode !== null ? 'none' : undefined), 30_000).catch(() => undefined);
    // The tree ends with its PID 1; the reaper then has nothing left and exits.
    await Promise.race([restoreExit, sleep(5_000)]);
    return outcomeOf(out(), ms());
  } catch (err) {
    return failed(err instanceof Error ? err.message : String(err), out().trim(), ms());
  } finally {
    await destroyCgroupTree(o.cgroup);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(o.dir, { recursive: true, force: true });
  }
}
