/**
 * The floor for post-copy downtime: RAW CRIU post-copy between two lab hosts, the way zinc does it
 * (same flags, same order) but without zinc. On the source a `zinc-testjob ticks` job runs as the
 * session leader of its own PID namespace (stdin /dev/null, stdout to a file); then
 *   source: criu dump --lazy-pages --address <source> --port P   (page server, job left stopped)
 *           the images (no memory in them) are copied to a directory of the destination's
 *   dest:   criu lazy-pages --page-server --address <source> --port P
 *   dest:   criu restore --lazy-pages --restore-sibling -d
 * and the largest gap in the job's own 1 ms timestamps is the downtime the job saw. As zinc
 * starts its restore supervisor ahead of time, the two destination commands are started ahead of
 * time too, as gates that exec CRIU when told, so that the floor holds CRIU's own work and
 * start-up, not nsenter's or the gate's. Everything started here is killed by PID (with its start
 * time) and the scratch directory removed, also when a step fails.
 */
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { adaptCriuToBreakpoints } from '../../daemon/criu/breakpoints.js';
import { isAlive, procRef, signalRef, waitGone, type ProcRef } from '../../infra/lab/procs.js';
import type { Lab } from '../../infra/lab/lab.js';

/** CRIU's own account of the restore (its stats-restore file), in ms. (Its dump stats are not
 * usable with --lazy-pages: CRIU leaves freezing and memdump at 0 there.) */
export interface CriuRestoreStats {
  forkingMs: number;
  restoreMs: number;
}

export interface PostcopyFloor {
  /** Largest gap between consecutive timestamps of the job, across the migration. */
  gapMs: number;
  /**
   * Where the gap went (ms), on the wall clock the job's timestamps use: from the job's last tick
   * to the page server being ready (seize + dump), the image copy, lazy-pages from exec to ready,
   * and from exec'ing `criu restore` to the restored job's first tick; `restoreExit` is when CRIU
   * itself exited, from the same start.
   */
  phases: { dump: number; copy: number; lazyPages: number; restore: number; restoreExit: number };
  /** What CRIU reported about the restore; undefined if it wrote no stats. */
  criu: CriuRestoreStats | undefined;
  /** From the page server being ready until lazy-pages and the page server had both exited 0 (ms). */
  allPagesMs: number;
  /** Size of the images that travel (everything but the lazy memory). */
  imagesBytes: number;
}

export interface PostcopyFloorOptions {
  source: string;
  dest: string;
  bytes: number;
  criu: string;
  testjob: string;
  /** Page-server port on the source's lab address (default: random in 30000–39999). */
  port?: number;
  /** How long the restored job runs before its timestamps are read (default 500 ms, as in the zinc test). */
  settleMs?: number;
}

/**
 * A gate, started ahead of time: says "ready", waits for "go" on stdin, then runs ARGV with stdin
 * /dev/null (other fds inherited, e.g. CRIU's --status-fd), says "criu-exit N" when it ends and
 * exits with its code. It also reaps every other child it gets: `--restore-sibling -d` makes the
 * restored tree a child of whoever ran `criu restore`, and node would never reap it.
 */
const GATE = [
  '$| = 1; print "ready\\n";',
  'my $go = <STDIN>; exit 125 unless defined $go && $go eq "go\\n";',
  'open STDIN, "<", "/dev/null" or die "stdin: $!";',
  'my $c = fork; defined $c or die "fork: $!";',
  'if (!$c) { exec { $ARGV[0] } @ARGV; exit 127 }',
  'waitpid($c, 0); my $s = $?; my $rc = ($s & 127) ? 128 + ($s & 127) : $s >> 8;',
  'print "criu-exit $rc\\n";',
  '1 while wait() > 0;',
  'exit $rc;',
].join(' ');

interface Gate {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves with the line when stdout has one matching `re`; rejects if the gate exits first. */
  line(re: RegExp, ms: number): Promise<string>;
  /** Runs the command now; returns the wall-clock µs it was told at. */
  go(): number;
  /** Never runs the command (EOF on its stdin ends a gate that was not told to go). */
  close(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Wall-clock µs (CLOCK_REALTIME, as the job's timestamps), with sub-ms resolution. */
const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Max difference between consecutive µs timestamps, in ms. */
export function largestGapMs(text: string): number {
  const ts = text.trim().split('\n').map(Number).filter((x) => Number.isFinite(x) && x > 0);
  let gap = 0;
  for (let k = 1; k < ts.length; k++) gap = Math.max(gap, (ts[k] ?? 0) - (ts[k - 1] ?? 0));
  return gap / 1000;
}

export async function measurePostcopyFloor(lab: Lab, o: PostcopyFloorOptions): Promise<PostcopyFloor> {
  // The test process normally has this from vitest's globalSetup already; idempotent.
  await adaptCriuToBreakpoints();
  const env = { ...process.env };
  const src = lab.host(o.source);
  const port = o.port ?? 30_000 + Math.floor(Math.random() * 10_000);
  // Under /tmp: the lab hosts' mount namespaces are slave copies of the root one, so /tmp is the
  // same directory in both (checked below); /run and /var/lib/zinc are per host.
  const dir = mkdtempSync('/tmp/zinc-pcfloor-');
  const srcImages = join(dir, 'src-images');
  const srcWork = join(dir, 'src-work');
  const dstImages = join(dir, 'dst-images');
  const dstWork = join(dir, 'dst-work');
  for (const d of [srcImages, srcWork, dstWork]) mkdirSync(d, { recursive: true });
  const stdoutPath = join(dir, 'stdout');
  const pidfile = join(dstWork, 'restore.pid');

  const children: ChildProcess[] = [];
  const gates: Gate[] = [];
  const refs: ProcRef[] = []; // processes that are not our children: the job and its restored copy
  const fail = (what: string, log?: string): never => {
    const tail = log && existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join(' | ') : '';
    throw new Error(`raw CRIU post-copy floor: ${what}${tail ? ` (${tail})` : ''}`);
  };
  const gate = (host: string, argv: string[], stdio: StdioOptions): Gate => {
    const g = startGate(lab.spawn(host, ['perl', '-e', GATE, ...argv], { stdio, env }));
    children.push(g.child);
    gates.push(g);
    return g;
  };
  try {
    // 1. The job, on the source. Its stdio is opened inside the host: CRIU looks an open file's
    // mount up in the dumping host's mount namespace, and one opened here (the root namespace) is
    // not found there. The same goes for its cwd: nsenter --wd opens the directory before entering
    // the mount namespace, so the cwd would sit on a mount of the root namespace, and CRIU's
    // parasite, which mounts a private /proc in the job's cwd, fails there with EINVAL.
    const unshare = lab.spawn(o.source, ['sh', '-c', 'cd "$4" && exec unshare --pid --fork setsid "$0" ticks "$1" </dev/null >>"$2" 2>>"$3"',
      o.testjob, String(o.bytes), stdoutPath, join(dir, 'stderr'), dir], { stdio: 'ignore', env });
    children.push(unshare);
    const jobPid = await waitFor('the job to start', async () => childOf(unshare.pid ?? 0), 10_000);
    const job = procRef(jobPid) ?? fail('the job exited at once');
    refs.push(job);
    await waitFor('the job to tick', async () => (existsSync(stdoutPath) && statSync(stdoutPath).size > 1000 ? true : undefined), 20_000);

    const inode = `${statSync(stdoutPath).dev}:${statSync(stdoutPath).ino}`;
    for (const h of [o.source, o.dest]) {
      const r = await lab.exec(h, ['stat', '-c', '%d:%i', stdoutPath]);
      if (r.stdout.trim() !== inode) fail(`${stdoutPath} is not the same file on ${h} (${r.stdout.trim() || r.stderr.trim()} vs ${inode})`);
    }

    // The destination's two commands, ready to go.
    const lazy = gate(o.dest, [o.criu, 'lazy-pages', '--page-server', '--address', src.address, '--port', String(port),
      '-D', dstImages, '-W', dstWork, '-o', 'lazy-pages.log', '-v2', '--status-fd', '3'], ['pipe', 'pipe', 'ignore', 'pipe']);
    const restore = gate(o.dest, [o.criu, 'restore', '-D', dstImages, '-W', dstWork, '-o', 'restore.log', '-v2',
      '--restore-sibling', '-d', '--pidfile', pidfile, '--manage-cgroups=ignore', '--file-locks', '--link-remap', '--lazy-pages'], ['pipe', 'pipe', 'ignore']);
    await Promise.all([lazy.line(/^ready$/, 10_000), restore.line(/^ready$/, 10_000)]);

    // 2. Dump everything but memory; CRIU then serves the pages from the stopped original.
    const dump = lab.spawn(o.source, [o.criu, 'dump', '-t', String(job.pid), '-D', srcImages, '-W', srcWork, '-o', 'dump.log', '-v2',
      '--manage-cgroups=ignore', '--file-locks', '--link-remap', '--leave-stopped',
      '--lazy-pages', '--address', src.address, '--port', String(port), '--status-fd', '3'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], env });
    children.push(dump);
    const dumpExit = exitOf(dump);
    if (!(await readyOn(dump.stdio[3], dumpExit, 30_000))) fail('criu dump --lazy-pages ended before serving pages', join(srcWork, 'dump.log'));
    const tDump = nowUs(); // the original is stopped from here on

    // 3. The images travel (zinc streams them; here a local copy).
    cpSync(srcImages, dstImages, { recursive: true });
    const tCopy = nowUs();

    // 4. The destination's lazy-pages daemon connects to the page server.
    lazy.go();
    if (!(await readyOn(lazy.child.stdio[3], lazy.exited, 20_000))) fail('criu lazy-pages ended before the restore', join(dstWork, 'lazy-pages.log'));
    const tLazy = nowUs();

    // 5. Restore; with -d CRIU exits once the restored tree runs.
    const tGo = restore.go();
    const code = Number(/\d+/.exec(await restore.line(/^criu-exit \d+$/, 30_000).catch(() => 'criu-exit -1'))?.[0]);
    const tRestoreExit = nowUs();
    if (code !== 0) fail(`criu restore exited ${code}`, join(dstWork, 'restore.log'));
    const restoredPid = Number(readFileSync(pidfile, 'utf8').trim());
    const restored = procRef(restoredPid) ?? fail(`the restored job (pid ${restoredPid}) is not running`);
    refs.push(restored);

    await sleep(o.settleMs ?? 500);
    const text = readFileSync(stdoutPath, 'utf8');
    const ticks = text.trim().split('\n').map(Number);
    const gapMs = largestGapMs(text);
    // Ticks after the dump can only come from the restored job: it must have resumed.
    const after = ticks.filter((t) => t > tDump);
    if (after.length < 50) fail(`the restored job wrote only ${after.length} ticks in ${o.settleMs ?? 500} ms`);
    const lastBefore = ticks.filter((t) => t <= tDump).at(-1) ?? NaN;
    const firstAfter = after[0] ?? NaN;

    // 6. Let post-copy finish: lazy-pages exits 0 once it has every page, then the page server.
    const lazyCode = await withTimeout(lazy.exited, 60_000);
    const dumpCode = await withTimeout(dumpExit, 30_000);
    if (lazyCode !== 0) fail(`criu lazy-pages exited ${String(lazyCode)}`, join(dstWork, 'lazy-pages.log'));
    if (dumpCode !== 0) fail(`criu dump (page server) exited ${String(dumpCode)}`, join(srcWork, 'dump.log'));
    const tAll = nowUs();

    return {
      gapMs,
      phases: {
        dump: (tDump - lastBefore) / 1000,
        copy: (tCopy - tDump) / 1000,
        lazyPages: (tLazy - tCopy) / 1000,
        restore: (firstAfter - tGo) / 1000,
        restoreExit: (tRestoreExit - tGo) / 1000,
      },
      criu: restoreStats(join(dstWork, 'stats-restore')),
      allPagesMs: (tAll - tDump) / 1000,
      imagesBytes: dirBytes(dstImages),
    };
  } finally {
    // Gates never told to go end on EOF. Then the jobs: the restored one's gate and the original's
    // unshare exit by themselves once they have reaped them. CRIU helpers still up (only after a
    // failure) are killed after that.
    for (const g of gates) g.close();
    for (const r of refs) signalRef(r, 'SIGKILL');
    await Promise.all(refs.map((r) => waitGone(r, 5_000)));
    await Promise.all(children.map((c) => withTimeout(exitOf(c), 2_000)));
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => withTimeout(exitOf(c), 5_000)));
    const left = refs.filter(isAlive).map((r) => r.pid);
    rmSync(dir, { recursive: true, force: true });
    if (left.length) process.stderr.write(`raw CRIU post-copy floor: pids ${left.join(', ')} did not exit\n`);
  }
}

function startGate(child: ChildProcess): Gate {
  const exited = exitOf(child);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  child.stdout?.on('data', (b: Buffer) => {
    buf += b.toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  child.stdin?.on('error', () => undefined); // a gate that already exited
  return {
    child,
    exited,
    line: (re, ms) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`raw CRIU post-copy floor: no ${String(re)} from a gate within ${ms} ms`)), ms);
        const check = (): void => {
          const l = lines.find((x) => re.test(x));
          if (l !== undefined) {
            clearTimeout(timer);
            resolve(l);
          } else waiters.push(check);
        };
        check();
        void exited.then((code) => {
          // Let the last output arrive first ('exit' can come before the final 'data').
          setTimeout(() => {
            clearTimeout(timer);
            reject(new Error(`raw CRIU post-copy floor: a gate exited (${String(code)}) before ${String(re)}`));
          }, 50);
        });
      }),
    go: () => {
      const t = nowUs();
      child.stdin?.write('go\n');
      return t;
    },
    close: () => {
      child.stdin?.end();
    },
  };
}

/** The only child of `pid` (unshare --fork's: the job, pid 1 of its namespace). */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`raw CRIU post-copy floor: timed out waiting for ${what}`);
    await sleep(5);
  }
}

function exitOf(c: ChildProcess): Promise<number | null> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode);
  return new Promise((resolve) => {
    c.once('exit', (code) => resolve(code));
    c.once('error', () => resolve(null));
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)))]).finally(() => clearTimeout(timer));
}

/** true once CRIU writes to its --status-fd; false if it exits (or times out) first. */
function readyOn(status: ChildProcess['stdio'][number], exited: Promise<number | null>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    (status as Readable | null)?.once('data', () => {
      clearTimeout(timer);
      resolve(true);
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

function dirBytes(d: string): number {
  return readdirSync(d).reduce((n, e) => n + statSync(join(d, e)).size, 0);
}

// ---- CRIU's stats images -------------------------------------------------------------------------
// An image is two 32-bit magics, then one entry: a 32-bit little-endian length and a protobuf
// StatsEntry { dump = 1: DumpStatsEntry, restore = 2: RestoreStatsEntry } (criu/images/stats.proto).

function varint(buf: Buffer, at: number): [number, number] {
  let v = 0;
  let mul = 1;
  let i = at;
  for (;;) {
    const b = buf[i++];
    if (b === undefined) throw new Error('truncated varint');
    v += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) return [v, i];
  }
}

/** Fields of one protobuf message: varints by number, and length-delimited ones as buffers. */
function fields(buf: Buffer): Map<number, number | Buffer> {
  const out = new Map<number, number | Buffer>();
  let i = 0;
  while (i < buf.length) {
    const [key, a] = varint(buf, i);
    const wire = key & 7;
    const num = Math.floor(key / 8);
    if (wire === 0) {
      const [v, b] = varint(buf, a);
      out.set(num, v);
      i = b;
    } else if (wire === 2) {
      const [len, b] = varint(buf, a);
      out.set(num, buf.subarray(b, b + len));
      i = b + len;
    } else if (wire === 5) i = a + 4;
    else if (wire === 1) i = a + 8;
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

function statsEntry(file: string, which: 1 | 2): Map<number, number | Buffer> | undefined {
  try {
    const buf = readFileSync(file);
    const len = buf.readUInt32LE(8);
    const inner = fields(buf.subarray(12, 12 + len)).get(which);
    return inner instanceof Buffer ? fields(inner) : undefined;
  } catch {
    return undefined;
  }
}

const num = (m: Map<number, number | Buffer>, k: number): number => {
  const v = m.get(k);
  return typeof v === 'number' ? v : NaN;
};

function restoreStats(file: string): CriuRestoreStats | undefined {
  const m = statsEntry(file, 2);
  return m && { forkingMs: num(m, 3) / 1000, restoreMs: num(m, 4) / 1000 };
}
