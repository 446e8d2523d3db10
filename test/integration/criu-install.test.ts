/**
 * criu/install for real: a fresh private install into a temp prefix (Debian trixie packages from
 * deb.debian.org), then a second run that must only check (fast, no network), then the probe.
 * Needs root (criu check, /proc/sys) and the Debian mirror. Without them it skips with the reason
 * in its name; under CI=true it fails instead.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { locateCriu } from '../../daemon/criu/locate.js';
import { criuDoctorChecks, isSupportedCriuVersion, MIN_CRIU_VERSION, probeCriu } from '../../daemon/criu/probe.js';

const INSTALLER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'criu', 'install');
const CI = process.env.CI === 'true';
const isRoot = process.getuid?.() === 0;
// Refused connections fail fast; this only decides whether to skip with a clear reason.
const MIRROR_HOST = 'deb.debian.org';
const mirrorReachable = isRoot ? await reachable(MIRROR_HOST, 80, 3_000) : false;
const blocker = !isRoot ? 'not root' : !mirrorReachable ? `${MIRROR_HOST}:80 unreachable` : undefined;
const title = (t: string) => (blocker === undefined ? t : `${t} [${CI ? 'FAILS' : 'skipped'}: ${blocker}]`);
const realIt = blocker === undefined || CI ? it : it.skip;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function install(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      INSTALLER,
      args,
      { env: { ...process.env, ...env }, timeout: 120_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

function reachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

const SUMMARY = /^criu: (\S+) \((\d+\.\d+(?:\.\d+)?)\) — check: Looks good; lazy-pages: (.+); pre-copy: (.+)$/m;

describe('criu/install', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('documents itself and rejects bad usage', async () => {
    const help = await install(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: criu/install [--prefix DIR] [--force] [--quiet]');
    const bad = await install(['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option: --frobnicate');
  });

  realIt(
    title('installs CRIU >= 4.1 into a fresh prefix, then a second run only checks (fast, no network)'),
    async () => {
      if (blocker !== undefined) throw new Error(`cannot run criu/install for real: ${blocker} (CI=true, so this fails)`);
      const tmp = await mkdtemp(join(tmpdir(), 'zinc-criu-install-'));
      dirs.push(tmp);
      const prefix = join(tmp, 'criu');

      // --force: install privately even if this machine has a good system criu on PATH.
      const first = await install(['--force', '--no-persist', '--prefix', prefix]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(`installed ${prefix}/bin/criu (wrapper)`);
      expect(first.stdout).toMatch(/sysctl fs\.pipe-max-size/);
      const summary = SUMMARY.exec(first.stdout);
      expect(summary?.[1]).toBe(`${prefix}/bin/criu`);
      expect(summary?.[3]).toBe('available');
      expect((await readFile(join(prefix, 'VERSION'), 'utf8')).trim()).toBe(summary?.[2]);
      expect(await readFile(join(prefix, 'packages.txt'), 'utf8')).toMatch(/^libc6 2\.\d+/m);
      expect(await readFile(join(prefix, 'install-info'), 'utf8')).toContain('layout=1');

      // Idempotent: a dead mirror proves the second run does not touch the network.
      const second = await install(['--no-persist', '--prefix', prefix], {
        ZINC_CRIU_MIRROR: 'http://127.0.0.1:9/debian',
        ZINC_CRIU_SECURITY_MIRROR: 'http://127.0.0.1:9/debian-security',
      });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/(is installed and passes criu check: nothing to do|passes criu check: keeping it)/);
      expect(second.stdout).not.toContain('fetched');
      expect(second.stdout).toMatch(SUMMARY);
      expect(second.ms).toBeLessThan(2_000);

      // The wrapper works from any cwd, through a symlink, with any arguments.
      const link = join(tmp, 'criu-link');
      await symlink(join(prefix, 'bin', 'criu'), link);
      const version = await new Promise<string>((resolve, reject) =>
        execFile(link, ['--version'], { cwd: '/' }, (err, out) => (err ? reject(err) : resolve(out))),
      );
      expect(version).toMatch(/^Version: 4\.\d+/m);

      // What zincd sees: located through ZINC_CRIU_PREFIX, version and check fine, lazy pages usable.
      const location = await locateCriu({ env: { ZINC_CRIU_PREFIX: prefix, PATH: '' }, extraPathDirs: [] });
      expect(location).toMatchObject({ found: true, source: 'prefix', path: join(prefix, 'bin', 'criu') });
      if (!location.found) return;
      const probe = await probeCriu(location.path);
      expect(probe.version && isSupportedCriuVersion(probe.version)).toBe(true);
      expect(probe.version?.major).toBeGreaterThanOrEqual(MIN_CRIU_VERSION.major);
      expect(probe.check.ok, probe.check.lines.join('\n')).toBe(true);
      expect(probe.lazyPages.available).toBe(true);
      const failing = criuDoctorChecks({ location, probe }).filter((c) => !c.ok && !c.warning);
      expect(failing).toEqual([]);
    },
    60_000,
  );
});
