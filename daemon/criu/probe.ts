/**
 * Runs CRIU to learn what it can do on this host: its version, `criu check`, post-copy
 * (lazy pages: userfaultfd plus two pipe sysctls) and pre-copy (soft-dirty tracking). Turns the
 * result into `zinc doctor` checks whose `fix` says exactly what to do, and into typed errors.
 *
 * Facts this encodes (verified on the project's machines, see DESIGN.md):
 * - CRIU < 4.1 (Debian 12 has 3.17) fails on kernels >= 6.13 ("Unexpected rt vDSO area bounds").
 * - "rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted" is printed on every run
 *   without CAP_SYS_RESOURCE and is harmless.
 * - Post-copy dumps fail ("page-pipe: tee: … Operation not permitted") unless fs.pipe-max-size is
 *   raised (64 MiB) and fs.pipe-user-pages-soft is 0.
 * - Pre-copy needs CONFIG_MEM_SOFT_DIRTY, which some kernels lack: unavailable, not an error.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DoctorCheck__Output } from '../../proto/generated/zinc/v1/DoctorCheck.js';
import { CriuCheckFailedError, CriuTooOldError } from './errors.js';
import {
  findInstaller,
  installHint,
  locateCriu,
  type CriuFound,
  type CriuMissing,
  type LocateOptions,
} from './locate.js';

/** The `DoctorCheck` message of proto/zinc.proto, every field set. */
export type DoctorCheck = DoctorCheck__Output;

// ---- versions ---------------------------------------------------------------------------------

export interface CriuVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As CRIU printed it, e.g. "4.1.1". */
  readonly text: string;
}

export const MIN_CRIU_VERSION: CriuVersion = { major: 4, minor: 1, patch: 0, text: '4.1' };

/** "4.1" or "4.1.1" (e.g. from a checkpoint manifest) → CriuVersion. */
export function parseVersionText(text: string): CriuVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: text.trim() };
}

/** The output of `criu --version` ("Version: 4.1.1\nGitID: …") → CriuVersion. */
export function parseCriuVersion(output: string): CriuVersion | undefined {
  const m = /^Version:\s*(\d+\.\d+(?:\.\d+)?)/m.exec(output);
  return m?.[1] === undefined ? undefined : parseVersionText(m[1]);
}

/** Negative, zero or positive, like a sort comparator. */
export function compareCriuVersions(a: CriuVersion, b: CriuVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function isSupportedCriuVersion(v: CriuVersion, min: CriuVersion = MIN_CRIU_VERSION): boolean {
  return compareCriuVersions(v, min) >= 0;
}

// ---- CRIU output and logs ---------------------------------------------------------------------

/** The RLIMIT_NOFILE complaint CRIU prints on every run without CAP_SYS_RESOURCE. */
export function isHarmlessCriuLine(line: string): boolean {
  return line.includes("Can't setup RLIMIT_NOFILE");
}

/** "(00.026558)      1: Error (…)" → "1: Error (…)": the timestamp only adds noise when quoted. */
function tidy(line: string): string {
  return line.replace(/^\(\s*\d+\.\d+\)\s*/, '').trim();
}

/**
 * The lines of a CRIU log worth quoting in an error: errors and warnings, minus the harmless
 * RLIMIT line, the last `limit` of them (the first error is usually followed by its consequences,
 * but the last ones say where it finally stopped).
 */
export function relevantCriuLogLines(text: string, limit = 10): string[] {
  const lines = text
    .split('\n')
    .filter((l) => (l.includes('Error (') || l.includes('Warn')) && !isHarmlessCriuLine(l))
    .map(tidy);
  return limit > 0 ? lines.slice(-limit) : [];
}

/**
 * relevantCriuLogLines of a log file, reading at most its last `maxBytes` (a -v4 dump log can be
 * large). Best effort: a missing or unreadable log gives [], since it is only quoted in an error
 * that is being reported anyway.
 */
export async function readCriuLogExcerpt(file: string, limit = 10, maxBytes = 4 << 20): Promise<string[]> {
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      const start = Math.max(0, size - maxBytes);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      let text = buf.toString('utf8');
      if (start > 0) text = text.slice(text.indexOf('\n') + 1); // drop the cut first line
      return relevantCriuLogLines(text, limit);
    } finally {
      await fh.close();
    }
  } catch {
    return [];
  }
}

// ---- running CRIU -----------------------------------------------------------------------------

export interface CriuRun {
  /** null when killed by a signal or when it could not be started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set when the binary could not be started at all (ENOENT, EACCES, ENOEXEC…). */
  readonly spawnError: string | undefined;
}

export function runCriu(binary: string, args: readonly string[], opts: { timeoutMs: number }): Promise<CriuRun> {
  return new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      // SIGKILL: a stuck criu (e.g. in D state on a broken kernel feature) ignores nothing else.
      { timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20, encoding: 'utf8' },
      (err: ExecFileException | null, stdout: string, stderr: string) => {
        if (err === null) {
          resolve({ exitCode: 0, signal: null, stdout, stderr, timedOut: false, spawnError: undefined });
          return;
        }
        const spawnError = typeof err.code === 'string' ? `${err.code}: ${err.message}` : undefined;
        resolve({
          exitCode: typeof err.code === 'number' ? err.code : null,
          signal: err.signal ?? null,
          stdout,
          stderr,
          timedOut: err.killed === true && spawnError === undefined,
          spawnError,
        });
      },
    );
  });
}

// ---- probing ----------------------------------------------------------------------------------

/** The outcome of `criu check` or `criu check --feature X`. */
export interface CriuCheckResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** One line: CRIU's verdict ("Looks good."), or why there is none. */
  readonly summary: string;
  /** CRIU's output without the harmless RLIMIT line, at most the last 20 lines. */
  readonly lines: readonly string[];
  /** CRIU refused for lack of CAP_SYS_ADMIN / CAP_CHECKPOINT_RESTORE (zincd not root). */
  readonly needsPrivileges: boolean;
}

export interface CriuProbe {
  readonly binary: string;
  readonly version: CriuVersion | undefined;
  /** `criu --version` could not be started: nothing else about this binary means anything. */
  readonly spawnError: string | undefined;
  readonly versionOutput: string;
  readonly check: CriuCheckResult;
  readonly lazyPages: {
    readonly uffdNoncoop: CriuCheckResult;
    readonly pipeMaxSize: number | undefined;
    readonly pipeUserPagesSoft: number | undefined;
    readonly sysctlsOk: boolean;
    /** Post-copy (`--lazy-pages`) can work: userfaultfd and both sysctls. */
    readonly available: boolean;
  };
  readonly preCopy: {
    readonly memDirtyTrack: CriuCheckResult;
    readonly available: boolean;
  };
}

export interface ProbeOptions {
  /** Per CRIU invocation; default 20 s. */
  readonly timeoutMs?: number;
  /** Where the pipe sysctls are read; tests point it at a temp dir. Default /proc/sys/fs. */
  readonly procSysFs?: string;
}

/** 64 MiB: enough for CRIU's page pipes during post-copy (what criu/install sets). */
export const PIPE_MAX_SIZE_FOR_LAZY_PAGES = 67_108_864;

export async function probeCriu(binary: string, opts: ProbeOptions = {}): Promise<CriuProbe> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const sysFs = opts.procSysFs ?? '/proc/sys/fs';
  // Independent read-only probes: run them together (each criu run is ~50 ms, mostly kerndat).
  const [versionRun, checkRun, uffdRun, dirtyRun, pipeMaxSize, pipeUserPagesSoft] = await Promise.all([
    runCriu(binary, ['--version'], { timeoutMs }),
    runCriu(binary, ['check'], { timeoutMs }),
    runCriu(binary, ['check', '--feature', 'uffd-noncoop'], { timeoutMs }),
    runCriu(binary, ['check', '--feature', 'mem_dirty_track'], { timeoutMs }),
    readSysctlNumber(join(sysFs, 'pipe-max-size')),
    readSysctlNumber(join(sysFs, 'pipe-user-pages-soft')),
  ]);
  const uffdNoncoop = toCheckResult(uffdRun, timeoutMs);
  const memDirtyTrack = toCheckResult(dirtyRun, timeoutMs);
  const sysctlsOk =
    pipeMaxSize !== undefined && pipeMaxSize >= PIPE_MAX_SIZE_FOR_LAZY_PAGES && pipeUserPagesSoft === 0;
  return {
    binary,
    version: parseCriuVersion(versionRun.stdout),
    spawnError: versionRun.spawnError,
    versionOutput: (versionRun.stdout + versionRun.stderr).trim(),
    check: toCheckResult(checkRun, timeoutMs),
    lazyPages: {
      uffdNoncoop,
      pipeMaxSize,
      pipeUserPagesSoft,
      sysctlsOk,
      available: uffdNoncoop.ok && sysctlsOk,
    },
    preCopy: { memDirtyTrack, available: memDirtyTrack.ok },
  };
}

function toCheckResult(run: CriuRun, timeoutMs: number): CriuCheckResult {
  // CRIU logs errors on stderr and then prints its verdict on stdout: keep that order.
  const all = `${run.stderr}\n${run.stdout}`;
  const lines = all
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !isHarmlessCriuLine(l))
    .slice(-20);
  const ok = run.exitCode === 0 && !run.timedOut;
  const verdict = run.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .at(-1);
  let summary: string;
  if (run.spawnError !== undefined) summary = `could not run it (${run.spawnError})`;
  else if (run.timedOut) summary = `timed out after ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
  else summary = verdict ?? lines.at(-1) ?? (ok ? 'ok' : `exit code ${run.exitCode ?? run.signal ?? 'unknown'}`);
  return {
    ok,
    exitCode: run.exitCode,
    timedOut: run.timedOut,
    summary,
    lines,
    needsPrivileges: /CAP_SYS_ADMIN or the CAP_CHECKPOINT_RESTORE/.test(all),
  };
}

const SysctlNumber = z
  .string()
  .trim()
  .regex(/^\d+$/)
  .transform((s) => Number(s));

async function readSysctlNumber(file: string): Promise<number | undefined> {
  try {
    const parsed = SysctlNumber.safeParse(await readFile(file, 'utf8'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// ---- doctor checks and errors -----------------------------------------------------------------

export const CRIU_CHECK_NAMES = {
  binary: 'criu',
  check: 'criu.check',
  lazyPages: 'criu.lazy-pages',
  pipeMaxSize: 'sysctl.fs.pipe-max-size',
  pipeUserPagesSoft: 'sysctl.fs.pipe-user-pages-soft',
  preCopy: 'criu.pre-copy',
} as const;

export type CriuDoctorInput =
  | { readonly location: CriuMissing }
  | { readonly location: CriuFound; readonly probe: CriuProbe };

const ROOT_FIX = 'run zincd as root: CRIU needs CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE)';

/**
 * `zinc doctor`'s CRIU checks. Failing ones carry a `fix` that says exactly what to do.
 * Post-copy and pre-copy problems are warnings: zinc still checkpoints and migrates without them.
 */
export function criuDoctorChecks(input: CriuDoctorInput, installer: string | undefined = findInstaller()): DoctorCheck[] {
  const hint = installHint(installer);
  if (!('probe' in input)) {
    const loc = input.location;
    return [
      fail(CRIU_CHECK_NAMES.binary, `${loc.reason} (looked at: ${loc.tried.join(', ')})`, loc.hint),
    ];
  }
  const { location, probe } = input;
  const where = `${location.path} (from ${location.origin})`;
  const checks: DoctorCheck[] = [];

  // 1. The binary and its version.
  const v = probe.version;
  if (probe.spawnError !== undefined) {
    return [
      fail(
        CRIU_CHECK_NAMES.binary,
        `cannot run ${where}: ${probe.spawnError}`,
        `make ${location.path} an executable CRIU (or the wrapper criu/install writes); to reinstall, ${hint}`,
      ),
    ];
  }
  if (v === undefined) {
    checks.push(
      fail(
        CRIU_CHECK_NAMES.binary,
        `${where}: \`criu --version\` printed no version (${firstLine(probe.versionOutput)})`,
        `check that ${location.path} is CRIU; to get a working one, ${hint}`,
      ),
    );
  } else if (!isSupportedCriuVersion(v)) {
    checks.push(
      fail(
        CRIU_CHECK_NAMES.binary,
        `${where} is CRIU ${v.text}; zinc needs >= ${MIN_CRIU_VERSION.text} (older CRIU fails on kernels >= 6.13: "Unexpected rt vDSO area bounds")`,
        tooOldFix(location, installer),
      ),
    );
  } else {
    checks.push(pass(CRIU_CHECK_NAMES.binary, `${where}, version ${v.text}`));
  }

  // 2. criu check.
  const c = probe.check;
  checks.push(
    c.ok
      ? pass(CRIU_CHECK_NAMES.check, `criu check: ${c.summary}`)
      : fail(
          CRIU_CHECK_NAMES.check,
          `criu check: ${c.summary}${quote(c.lines, c.summary)}`,
          c.needsPrivileges
            ? ROOT_FIX
            : c.timedOut
              ? `criu check hangs: run \`${location.path} check -v4 -o /tmp/criu-check.log\` as root and read the log`
              : `run \`${location.path} check\` as root to see what the kernel lacks; if CRIU is older than ${MIN_CRIU_VERSION.text}, ${hint}; see docs/criu.md (troubleshooting)`,
        ),
  );

  // 3. Post-copy: userfaultfd and the two pipe sysctls.
  const lp = probe.lazyPages;
  checks.push(
    lp.uffdNoncoop.ok
      ? pass(CRIU_CHECK_NAMES.lazyPages, 'userfaultfd (uffd-noncoop) is supported: post-copy migration can work')
      : warn(
          CRIU_CHECK_NAMES.lazyPages,
          `post-copy (--lazy-pages) unavailable: criu check --feature uffd-noncoop: ${lp.uffdNoncoop.summary}`,
          lp.uffdNoncoop.needsPrivileges
            ? ROOT_FIX
            : 'none needed, migrations use stop-and-copy; post-copy needs a kernel with userfaultfd (CONFIG_USERFAULTFD=y, >= 4.11)',
        ),
  );
  const persist = 'criu/install sets it on every run and persists it in /etc/sysctl.d/60-zinc-criu.conf';
  checks.push(
    lp.pipeMaxSize === undefined
      ? warn(CRIU_CHECK_NAMES.pipeMaxSize, 'cannot read /proc/sys/fs/pipe-max-size', 'run zincd where /proc/sys is readable')
      : lp.pipeMaxSize >= PIPE_MAX_SIZE_FOR_LAZY_PAGES
        ? pass(CRIU_CHECK_NAMES.pipeMaxSize, `fs.pipe-max-size = ${lp.pipeMaxSize}`)
        : warn(
            CRIU_CHECK_NAMES.pipeMaxSize,
            `fs.pipe-max-size = ${lp.pipeMaxSize}; post-copy needs >= ${PIPE_MAX_SIZE_FOR_LAZY_PAGES} (else "page-pipe: tee: Operation not permitted")`,
            `as root: echo ${PIPE_MAX_SIZE_FOR_LAZY_PAGES} > /proc/sys/fs/pipe-max-size (${persist})`,
          ),
  );
  checks.push(
    lp.pipeUserPagesSoft === undefined
      ? warn(
          CRIU_CHECK_NAMES.pipeUserPagesSoft,
          'cannot read /proc/sys/fs/pipe-user-pages-soft',
          'run zincd where /proc/sys is readable',
        )
      : lp.pipeUserPagesSoft === 0
        ? pass(CRIU_CHECK_NAMES.pipeUserPagesSoft, 'fs.pipe-user-pages-soft = 0')
        : warn(
            CRIU_CHECK_NAMES.pipeUserPagesSoft,
            `fs.pipe-user-pages-soft = ${lp.pipeUserPagesSoft}; post-copy needs 0 (no per-user pipe limit)`,
            `as root: echo 0 > /proc/sys/fs/pipe-user-pages-soft (${persist})`,
          ),
  );

  // 4. Pre-copy: reported, never an error (zinc works without it).
  const pc = probe.preCopy;
  checks.push(
    pc.available
      ? pass(CRIU_CHECK_NAMES.preCopy, 'soft-dirty tracking (mem_dirty_track) is supported: pre-copy available')
      : warn(
          CRIU_CHECK_NAMES.preCopy,
          pc.memDirtyTrack.needsPrivileges
            ? 'pre-copy unknown: criu check needs privileges'
            : 'pre-copy unavailable: the kernel has no soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY off)',
          pc.memDirtyTrack.needsPrivileges
            ? ROOT_FIX
            : 'none needed: migrations use stop-and-copy or post-copy; pre-copy needs a kernel with CONFIG_MEM_SOFT_DIRTY=y',
        ),
  );
  return checks;
}

/** Locate, probe and report: what `zinc doctor` shows about CRIU on this host. */
export async function criuDoctor(opts: LocateOptions & ProbeOptions = {}): Promise<DoctorCheck[]> {
  const location = await locateCriu(opts);
  if (!location.found) return criuDoctorChecks({ location }, opts.installer);
  const probe = await probeCriu(location.path, opts);
  return criuDoctorChecks({ location, probe }, opts.installer);
}

/** For zincd start-up: throws CriuTooOldError or CriuCheckFailedError unless CRIU is usable. */
export function assertCriuUsable(location: CriuFound, probe: CriuProbe, installer: string | undefined = findInstaller()): void {
  const v = probe.version;
  if (v !== undefined && !isSupportedCriuVersion(v)) {
    throw new CriuTooOldError({
      binary: probe.binary,
      version: v.text,
      minimum: MIN_CRIU_VERSION.text,
      hint: tooOldFix(location, installer),
    });
  }
  if (v === undefined || !probe.check.ok) {
    const c = probe.check;
    const summary =
      probe.spawnError !== undefined
        ? `cannot run it (${probe.spawnError})`
        : v === undefined
          ? `criu --version printed no version (${firstLine(probe.versionOutput)})`
          : c.summary;
    throw new CriuCheckFailedError({
      binary: probe.binary,
      exitCode: c.exitCode,
      summary,
      lines: c.lines,
      hint: c.needsPrivileges ? ROOT_FIX : `run \`${probe.binary} check\` as root to see why; see docs/criu.md`,
    });
  }
}

function tooOldFix(location: CriuFound, installer: string | undefined): string {
  const hint = installHint(installer);
  switch (location.source) {
    case 'explicit':
      return `point --criu at CRIU >= ${MIN_CRIU_VERSION.text}, or drop it after installing one: ${hint}`;
    case 'env':
      return `point ZINC_CRIU at CRIU >= ${MIN_CRIU_VERSION.text}, or unset it after installing one: ${hint}`;
    case 'prefix':
      return `reinstall: ${installHint(installer, '--force')}`;
    case 'path':
      return `${hint}; zincd prefers that over the criu on PATH`;
  }
}

function pass(name: string, detail: string): DoctorCheck {
  return { name, ok: true, detail, fix: '', warning: false };
}
function fail(name: string, detail: string, fix: string): DoctorCheck {
  return { name, ok: false, detail, fix, warning: false };
}
function warn(name: string, detail: string, fix: string): DoctorCheck {
  return { name, ok: false, detail, fix, warning: true };
}
/** CRIU's last few lines, except the one already shown as the summary. */
function quote(lines: readonly string[], summary: string): string {
  const shown = lines.filter((l) => l !== summary).slice(-3);
  return shown.length === 0 ? '' : ` — ${shown.join(' | ')}`;
}
function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() || 'no output';
}
