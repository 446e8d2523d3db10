import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriuNotFoundError, CriuTooOldError } from '../../daemon/criu/errors.js';
import { findInstaller, locateCriu, requireCriu, type CriuFound } from '../../daemon/criu/locate.js';
import {
  assertCriuUsable,
  compareCriuVersions,
  CRIU_CHECK_NAMES,
  criuDoctor,
  criuDoctorChecks,
  isSupportedCriuVersion,
  MIN_CRIU_VERSION,
  parseCriuVersion,
  parseVersionText,
  probeCriu,
  readCriuLogExcerpt,
  relevantCriuLogLines,
  type DoctorCheck,
} from '../../daemon/criu/probe.js';

const RLIMIT = "(00.028332) Error (criu/util.c:1533): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zinc-criu-unit-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh directory under the test's temp dir. */
let seq = 0;
async function dir(name: string): Promise<string> {
  const d = join(tmp, `${name}-${seq++}`);
  await mkdir(d, { recursive: true });
  return d;
}

async function script(path: string, body: string, mode = 0o755): Promise<string> {
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

/** A fake criu answering --version, check and check --feature like CRIU 4.1.1 on the project's machines. */
async function fakeCriu(d: string, opts: { version?: string; check?: string; uffd?: boolean; dirty?: boolean } = {}) {
  const version = opts.version ?? '4.1.1';
  const check = opts.check ?? `echo "${RLIMIT}" >&2; echo "Looks good."; exit 0`;
  return script(
    join(d, 'criu'),
    `case "$*" in
  --version) echo "Version: ${version}"; echo "GitID: v${version}" ;;
  "check --feature uffd-noncoop") ${opts.uffd === false ? 'echo "Error (criu/cr-check.c:1): Non-cooperative UFFD is not supported" >&2; exit 1' : 'echo "uffd-noncoop is supported"'} ;;
  "check --feature mem_dirty_track") ${opts.dirty === true ? 'echo "mem_dirty_track is supported"' : 'echo "Warn  (criu/cr-check.c:824): Dirty tracking is OFF. Memory snapshot will not work." >&2; exit 1'} ;;
  check) ${check} ;;
  *) exit 2 ;;
esac`,
  );
}

async function sysctls(pipeMaxSize: string, pipeUserPagesSoft: string): Promise<string> {
  const d = await dir('sysfs');
  await writeFile(join(d, 'pipe-max-size'), `${pipeMaxSize}\n`);
  await writeFile(join(d, 'pipe-user-pages-soft'), `${pipeUserPagesSoft}\n`);
  return d;
}

const byName = (checks: DoctorCheck[], name: string): DoctorCheck => {
  const c = checks.find((x) => x.name === name);
  if (!c) throw new Error(`no doctor check ${name} in ${checks.map((x) => x.name).join(', ')}`);
  return c;
};

describe('CRIU versions', () => {
  it('parses `criu --version` output', () => {
    expect(parseCriuVersion('Version: 4.1.1\n')).toEqual({ major: 4, minor: 1, patch: 1, text: '4.1.1' });
    expect(parseCriuVersion('Version: 3.17\nGitID: v3.17\n')).toEqual({ major: 3, minor: 17, patch: 0, text: '3.17' });
    expect(parseCriuVersion('Error (criu/util.c:1): whatever\nVersion: 4.2\n')?.text).toBe('4.2');
    expect(parseCriuVersion('criu: command not found')).toBeUndefined();
    expect(parseCriuVersion('')).toBeUndefined();
  });

  it('parses plain version text (as in checkpoint manifests)', () => {
    expect(parseVersionText('4.1')).toEqual({ major: 4, minor: 1, patch: 0, text: '4.1' });
    expect(parseVersionText(' 4.1.1 ')?.patch).toBe(1);
    expect(parseVersionText('4')).toBeUndefined();
    expect(parseVersionText('4.1-rc1')).toBeUndefined();
  });

  it('compares numerically, not as strings', () => {
    const v = (t: string) => parseVersionText(t)!;
    expect(compareCriuVersions(v('4.1.1'), v('4.1'))).toBeGreaterThan(0);
    expect(compareCriuVersions(v('4.1'), v('4.1.0'))).toBe(0);
    expect(compareCriuVersions(v('3.17'), v('4.1'))).toBeLessThan(0);
    expect(compareCriuVersions(v('4.10'), v('4.9'))).toBeGreaterThan(0);
    expect(compareCriuVersions(v('5.0'), v('4.99.99'))).toBeGreaterThan(0);
  });

  it('requires at least 4.1', () => {
    expect(MIN_CRIU_VERSION.text).toBe('4.1');
    expect(isSupportedCriuVersion(parseVersionText('4.1')!)).toBe(true);
    expect(isSupportedCriuVersion(parseVersionText('4.1.1')!)).toBe(true);
    expect(isSupportedCriuVersion(parseVersionText('4.0.9')!)).toBe(false);
    expect(isSupportedCriuVersion(parseVersionText('3.17')!)).toBe(false);
  });
});

describe('CRIU log excerpts', () => {
  const log = [
    '(00.000000) Version: 4.1.1 (gitid 0)',
    RLIMIT,
    '(00.010000) Dumping task 42',
    '(00.020000) Warn  (compel/arch/x86/src/lib/infect.c:418): Will restore 42 with interrupted system call',
    '(00.026558)      1: Error (criu/files-reg.c:2175): File tmp/out has bad size 54 (expect 0)',
    '(00.026562)      1: Error (criu/files.c:1221): Unable to open fd=1 id=0x5',
    '(00.027167) Error (criu/cr-restore.c:2320): Restoring FAILED.',
    '',
  ].join('\n');

  it('keeps errors and warnings, drops the harmless RLIMIT line and timestamps', () => {
    expect(relevantCriuLogLines(log)).toEqual([
      'Warn  (compel/arch/x86/src/lib/infect.c:418): Will restore 42 with interrupted system call',
      '1: Error (criu/files-reg.c:2175): File tmp/out has bad size 54 (expect 0)',
      '1: Error (criu/files.c:1221): Unable to open fd=1 id=0x5',
      'Error (criu/cr-restore.c:2320): Restoring FAILED.',
    ]);
  });

  it('keeps only the last N', () => {
    expect(relevantCriuLogLines(log, 2)).toEqual([
      '1: Error (criu/files.c:1221): Unable to open fd=1 id=0x5',
      'Error (criu/cr-restore.c:2320): Restoring FAILED.',
    ]);
    expect(relevantCriuLogLines(log, 0)).toEqual([]);
    expect(relevantCriuLogLines(RLIMIT)).toEqual([]);
  });

  it('reads the tail of a log file, and gives [] for a missing one', async () => {
    const d = await dir('log');
    const file = join(d, 'restore.log');
    await writeFile(file, `${'(00.000001) Error (criu/x.c:1): early\n'.repeat(1000)}${log}`);
    expect(await readCriuLogExcerpt(file, 1)).toEqual(['Error (criu/cr-restore.c:2320): Restoring FAILED.']);
    // A small window starts mid-line: the cut line must not be quoted half.
    const lines = await readCriuLogExcerpt(file, 50, 300);
    expect(lines.every((l) => l.startsWith('Error (') || l.startsWith('Warn') || l.startsWith('1: Error ('))).toBe(true);
    expect(await readCriuLogExcerpt(join(d, 'missing.log'))).toEqual([]);
  });
});

describe('locateCriu precedence', () => {
  it('prefers --criu, then ZINC_CRIU, then the prefixes, then PATH', async () => {
    const explicit = await fakeCriu(await dir('explicit'));
    const fromEnv = await fakeCriu(await dir('env'));
    const envPrefix = await dir('env-prefix');
    await fakeCriu(await dir('unused')); // never looked at
    await mkdir(join(envPrefix, 'bin'));
    await fakeCriu(join(envPrefix, 'bin'));
    const defaultPrefix = await dir('default-prefix');
    await mkdir(join(defaultPrefix, 'bin'));
    await fakeCriu(join(defaultPrefix, 'bin'));
    const pathDir = await dir('path');
    await fakeCriu(pathDir);

    const env = { ZINC_CRIU: fromEnv, ZINC_CRIU_PREFIX: envPrefix, PATH: pathDir };
    const base = { defaultPrefix, extraPathDirs: [], installer: '/x/criu/install' };

    expect(await locateCriu({ ...base, env, explicit })).toMatchObject({ found: true, path: explicit, source: 'explicit' });
    expect(await locateCriu({ ...base, env })).toMatchObject({ found: true, path: fromEnv, source: 'env', origin: 'ZINC_CRIU' });
    expect(await locateCriu({ ...base, env: { ...env, ZINC_CRIU: undefined } })).toMatchObject({
      found: true,
      path: join(envPrefix, 'bin', 'criu'),
      source: 'prefix',
      origin: envPrefix,
    });
    expect(await locateCriu({ ...base, env: { PATH: pathDir } })).toMatchObject({
      found: true,
      path: join(defaultPrefix, 'bin', 'criu'),
      source: 'prefix',
    });
    // A ZINC_CRIU_PREFIX without a criu falls through to the default prefix.
    expect(await locateCriu({ ...base, env: { ZINC_CRIU_PREFIX: await dir('empty-prefix'), PATH: pathDir } })).toMatchObject({
      path: join(defaultPrefix, 'bin', 'criu'),
    });
    expect(await locateCriu({ ...base, defaultPrefix: join(tmp, 'nope'), env: { PATH: `relative:${pathDir}` } })).toMatchObject({
      found: true,
      path: join(pathDir, 'criu'),
      source: 'path',
    });
  });

  it('treats empty variables as unset', async () => {
    const pathDir = await dir('path');
    await fakeCriu(pathDir);
    const loc = await locateCriu({
      env: { ZINC_CRIU: '', ZINC_CRIU_PREFIX: ' ', PATH: pathDir },
      defaultPrefix: join(tmp, 'nope'),
      extraPathDirs: [],
    });
    expect(loc).toMatchObject({ found: true, source: 'path' });
  });

  it('searches the sbin directories after PATH, and skips non-executable files', async () => {
    const notExec = await dir('not-exec');
    await script(join(notExec, 'criu'), 'exit 0', 0o644);
    const sbin = await dir('sbin');
    await fakeCriu(sbin);
    const loc = await locateCriu({ env: { PATH: notExec }, defaultPrefix: join(tmp, 'nope'), extraPathDirs: [sbin] });
    expect(loc).toMatchObject({ found: true, path: join(sbin, 'criu'), source: 'path' });
  });

  it('looks a bare --criu name up on PATH', async () => {
    const pathDir = await dir('path');
    await script(join(pathDir, 'my-criu'), 'exit 0');
    const loc = await locateCriu({ explicit: 'my-criu', env: { PATH: pathDir }, extraPathDirs: [] });
    expect(loc).toMatchObject({ found: true, path: join(pathDir, 'my-criu'), source: 'explicit' });
  });

  it('reports a broken --criu or ZINC_CRIU instead of silently using another CRIU', async () => {
    const pathDir = await dir('path');
    await fakeCriu(pathDir);
    const explicit = await locateCriu({ explicit: join(tmp, 'missing', 'criu'), env: { PATH: pathDir }, installer: '/x/criu/install' });
    expect(explicit.found).toBe(false);
    if (explicit.found) return;
    expect(explicit.reason).toContain('--criu');
    expect(explicit.hint).toContain('/x/criu/install');

    const env = await locateCriu({ env: { ZINC_CRIU: join(tmp, 'missing'), PATH: pathDir } });
    expect(env).toMatchObject({ found: false, reason: expect.stringContaining('ZINC_CRIU') });
  });

  it('says what it tried and how to install when there is no CRIU', async () => {
    const loc = await locateCriu({
      env: { PATH: await dir('empty-path') },
      defaultPrefix: join(tmp, 'nope'),
      extraPathDirs: [],
      installer: '/srv/zinc/criu/install',
    });
    expect(loc.found).toBe(false);
    if (loc.found) return;
    expect(loc.tried).toEqual([join(tmp, 'nope', 'bin', 'criu'), 'criu on PATH']);
    expect(loc.hint).toBe(
      'run as root: /srv/zinc/criu/install (it installs CRIU >= 4.1 into /opt/zinc/criu unless a working system criu exists; see docs/criu.md)',
    );
    await expect(
      requireCriu({ env: { PATH: '' }, defaultPrefix: join(tmp, 'nope'), extraPathDirs: [] }),
    ).rejects.toMatchObject({ code: 'CRIU_NOT_FOUND' });
  });

  it('finds criu/install of this checkout for the hint', () => {
    const installer = findInstaller();
    expect(installer).toMatch(/\/criu\/install$/);
  });
});

describe('zinc doctor without CRIU', () => {
  it('has one failing check whose fix says how to install CRIU', async () => {
    const checks = await criuDoctor({
      env: { PATH: await dir('empty-path') },
      defaultPrefix: join(tmp, 'nope'),
      extraPathDirs: [],
    });
    expect(checks).toHaveLength(1);
    const [c] = checks;
    expect(c).toMatchObject({ name: 'criu', ok: false, warning: false });
    expect(c!.detail).toContain('CRIU not found');
    // The real installer of this checkout, by absolute path, to be run as root.
    expect(c!.fix).toMatch(/^run as root: \/\S+\/criu\/install \(it installs CRIU >= 4\.1 into \/opt\/zinc\/criu/);
  });

  it('names criu/install generically when it cannot find the installer', () => {
    const checks = criuDoctorChecks(
      { location: { found: false, reason: 'CRIU not found', tried: ['criu on PATH'], hint: 'x' } },
      undefined,
    );
    expect(checks[0]!.fix).toBe('x');
    const err = new CriuNotFoundError({ tried: ['criu on PATH'], hint: 'run criu/install as root' });
    expect(err.code).toBe('CRIU_NOT_FOUND');
    expect(err.toUserLine()).toBe('CRIU not found. run criu/install as root');
  });
});

describe('probeCriu and doctor checks', () => {
  const found = (path: string): CriuFound => ({ found: true, path, source: 'prefix', origin: '/opt/zinc/criu' });

  it('reports a working CRIU, the lazy-pages sysctls with exact fixes, and pre-copy as unavailable (not an error)', async () => {
    const criu = await fakeCriu(await dir('ok'));
    const probe = await probeCriu(criu, { procSysFs: await sysctls('1048576', '16384') });
    expect(probe.version?.text).toBe('4.1.1');
    expect(probe.check).toMatchObject({ ok: true, summary: 'Looks good.', lines: ['Looks good.'] });
    expect(probe.lazyPages).toMatchObject({ pipeMaxSize: 1048576, pipeUserPagesSoft: 16384, sysctlsOk: false, available: false });
    expect(probe.lazyPages.uffdNoncoop.ok).toBe(true);
    expect(probe.preCopy.available).toBe(false);

    const checks = criuDoctorChecks({ location: found(criu), probe }, '/x/criu/install');
    expect(checks.map((c) => c.name)).toEqual([
      CRIU_CHECK_NAMES.binary,
      CRIU_CHECK_NAMES.check,
      CRIU_CHECK_NAMES.lazyPages,
      CRIU_CHECK_NAMES.pipeMaxSize,
      CRIU_CHECK_NAMES.pipeUserPagesSoft,
      CRIU_CHECK_NAMES.preCopy,
    ]);
    expect(byName(checks, 'criu')).toMatchObject({ ok: true, detail: `${criu} (from /opt/zinc/criu), version 4.1.1` });
    expect(byName(checks, 'criu.check')).toMatchObject({ ok: true, detail: 'criu check: Looks good.' });
    expect(byName(checks, 'criu.lazy-pages').ok).toBe(true);
    expect(byName(checks, 'sysctl.fs.pipe-max-size')).toMatchObject({ ok: false, warning: true });
    expect(byName(checks, 'sysctl.fs.pipe-max-size').fix).toMatch(/^as root: echo 67108864 > \/proc\/sys\/fs\/pipe-max-size /);
    expect(byName(checks, 'sysctl.fs.pipe-user-pages-soft').fix).toMatch(/^as root: echo 0 > \/proc\/sys\/fs\/pipe-user-pages-soft /);
    const pre = byName(checks, 'criu.pre-copy');
    expect(pre).toMatchObject({ ok: false, warning: true });
    expect(pre.detail).toMatch(/^pre-copy unavailable/);
    // Nothing here stops zinc: every failure is a warning.
    expect(checks.filter((c) => !c.ok && !c.warning)).toEqual([]);
    expect(() => assertCriuUsable(found(criu), probe)).not.toThrow();
  });

  it('is all green with the sysctls set and soft-dirty available', async () => {
    const criu = await fakeCriu(await dir('green'), { dirty: true });
    const probe = await probeCriu(criu, { procSysFs: await sysctls('67108864', '0') });
    expect(probe.lazyPages.available).toBe(true);
    expect(probe.preCopy.available).toBe(true);
    expect(criuDoctorChecks({ location: found(criu), probe }).every((c) => c.ok)).toBe(true);
  });

  it('flags an old CRIU (Debian 12 3.17) with a fix that installs a newer one', async () => {
    const criu = await fakeCriu(await dir('old'), {
      version: '3.17',
      check: `echo "Error (criu/vdso.c:1): Unexpected rt vDSO area bounds" >&2; echo "Does not look good."; exit 1`,
    });
    const probe = await probeCriu(criu, { procSysFs: await sysctls('67108864', '0') });
    const location: CriuFound = { found: true, path: criu, source: 'path', origin: 'PATH' };
    const checks = criuDoctorChecks({ location, probe }, '/x/criu/install');
    const bin = byName(checks, 'criu');
    expect(bin).toMatchObject({ ok: false, warning: false });
    expect(bin.detail).toContain('is CRIU 3.17; zinc needs >= 4.1');
    expect(bin.fix).toMatch(/^run as root: \/x\/criu\/install .*; zincd prefers that over the criu on PATH$/);
    const check = byName(checks, 'criu.check');
    expect(check).toMatchObject({ ok: false, warning: false });
    expect(check.detail).toBe('criu check: Does not look good. — Error (criu/vdso.c:1): Unexpected rt vDSO area bounds');
    expect(() => assertCriuUsable(location, probe, '/x/criu/install')).toThrow(CriuTooOldError);
    try {
      assertCriuUsable(location, probe, '/x/criu/install');
    } catch (e) {
      expect(e).toMatchObject({ code: 'CRIU_TOO_OLD', version: '3.17', minimum: '4.1' });
    }
  });

  it('tells a non-root zincd to run as root', async () => {
    const criu = await fakeCriu(await dir('noroot'), {
      check: `echo "CRIU needs to have the CAP_SYS_ADMIN or the CAP_CHECKPOINT_RESTORE capability: "; echo "setcap cap_checkpoint_restore+eip $0"; exit 1`,
    });
    const probe = await probeCriu(criu, { procSysFs: await sysctls('67108864', '0') });
    expect(probe.check.needsPrivileges).toBe(true);
    const checks = criuDoctorChecks({ location: found(criu), probe });
    expect(byName(checks, 'criu.check').fix).toMatch(/^run zincd as root/);
    expect(() => assertCriuUsable(found(criu), probe)).toThrow(expect.objectContaining({ code: 'CRIU_CHECK_FAILED' }));
  });

  it('times out a hanging criu', async () => {
    const criu = await script(join(await dir('hang'), 'criu'), 'exec sleep 30');
    const t0 = Date.now();
    const probe = await probeCriu(criu, { timeoutMs: 300, procSysFs: await sysctls('67108864', '0') });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(probe.check).toMatchObject({ ok: false, timedOut: true, summary: 'timed out after 300 ms' });
    expect(byName(criuDoctorChecks({ location: found(criu), probe }), 'criu.check').fix).toContain('check -v4');
  });

  it('reports a binary that cannot be started as one failing check', async () => {
    const criu = await script(join(await dir('noexec'), 'criu'), 'exit 0', 0o644);
    const probe = await probeCriu(criu, { procSysFs: await sysctls('67108864', '0') });
    expect(probe.spawnError).toMatch(/^EACCES/);
    const checks = criuDoctorChecks({ location: found(criu), probe }, '/x/criu/install');
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'criu', ok: false });
    expect(checks[0]!.fix).toContain('/x/criu/install');
  });

  it('warns when lazy pages cannot work for lack of userfaultfd', async () => {
    const criu = await fakeCriu(await dir('nouffd'), { uffd: false });
    const probe = await probeCriu(criu, { procSysFs: await sysctls('67108864', '0') });
    expect(probe.lazyPages.available).toBe(false);
    const lp = byName(criuDoctorChecks({ location: found(criu), probe }), 'criu.lazy-pages');
    expect(lp).toMatchObject({ ok: false, warning: true });
    expect(lp.detail).toContain('Non-cooperative UFFD is not supported');
  });
});
