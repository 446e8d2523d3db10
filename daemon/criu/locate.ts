/**
 * Finds the CRIU binary zincd uses. Precedence, first match wins:
 *   1. an explicit path (zincd `--criu PATH`),
 *   2. env ZINC_CRIU,
 *   3. $ZINC_CRIU_PREFIX/bin/criu, then /opt/zinc/criu/bin/criu (what criu/install makes),
 *   4. `criu` on PATH (plus the sbin directories, which non-login environments often lack).
 * An explicit path or ZINC_CRIU that does not work is reported, never silently skipped: the
 * operator asked for that binary.
 */
import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CriuNotFoundError } from './errors.js';

export const DEFAULT_CRIU_PREFIX = '/opt/zinc/criu';
/** Where criu lives on most systems but that PATH often lacks outside a root login shell. */
export const SBIN_DIRS: readonly string[] = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export type CriuSource = 'explicit' | 'env' | 'prefix' | 'path';

export interface CriuFound {
  readonly found: true;
  readonly path: string;
  readonly source: CriuSource;
  /** Where it came from, for logs and `zinc doctor`, e.g. "ZINC_CRIU" or "/opt/zinc/criu". */
  readonly origin: string;
}

export interface CriuMissing {
  readonly found: false;
  /** One line: why nothing usable was found. */
  readonly reason: string;
  /** Every place looked at, in order. */
  readonly tried: readonly string[];
  /** Exactly what to run to get CRIU. */
  readonly hint: string;
}

export type CriuLocation = CriuFound | CriuMissing;

export interface LocateOptions {
  /** zincd `--criu PATH`; a bare name is looked up on PATH. */
  readonly explicit?: string | undefined;
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to DEFAULT_CRIU_PREFIX; tests point it at a temp dir. */
  readonly defaultPrefix?: string;
  /** Directories searched after PATH; defaults to SBIN_DIRS. */
  readonly extraPathDirs?: readonly string[];
  /** criu/install to name in hints; defaults to the one shipped next to this module, if any. */
  readonly installer?: string | undefined;
}

// Empty values count as unset: `ZINC_CRIU= zincd` should not mean "the binary called ''".
const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
const EnvSchema = z.object({
  ZINC_CRIU: optionalNonEmpty,
  ZINC_CRIU_PREFIX: optionalNonEmpty,
  PATH: optionalNonEmpty,
});

export async function locateCriu(opts: LocateOptions = {}): Promise<CriuLocation> {
  const env = EnvSchema.parse(opts.env ?? process.env);
  const hint = installHint(opts.installer ?? findInstaller());
  const extraDirs = opts.extraPathDirs ?? SBIN_DIRS;
  const tried: string[] = [];

  const pinned = async (value: string, source: 'explicit' | 'env', label: string): Promise<CriuLocation> => {
    const path = await resolveCommand(value, env.PATH, extraDirs);
    tried.push(`${label}=${value}`);
    if (path !== undefined) return { found: true, path, source, origin: label };
    return {
      found: false,
      reason: `${label} ${value} is not an executable file`,
      tried,
      hint: `fix ${label} or leave it unset to use the default search; to install CRIU: ${hint}`,
    };
  };
  if (opts.explicit !== undefined && opts.explicit.trim() !== '') return pinned(opts.explicit, 'explicit', '--criu');
  if (env.ZINC_CRIU !== undefined) return pinned(env.ZINC_CRIU, 'env', 'ZINC_CRIU');

  const prefixes = [env.ZINC_CRIU_PREFIX, opts.defaultPrefix ?? DEFAULT_CRIU_PREFIX].filter(
    (p): p is string => p !== undefined,
  );
  for (const prefix of [...new Set(prefixes)]) {
    const candidate = join(prefix, 'bin', 'criu');
    tried.push(candidate);
    if (await isExecutableFile(candidate)) return { found: true, path: candidate, source: 'prefix', origin: prefix };
  }

  tried.push('criu on PATH');
  const onPath = await searchPath('criu', env.PATH, extraDirs);
  if (onPath !== undefined) return { found: true, path: onPath, source: 'path', origin: 'PATH' };

  return { found: false, reason: 'CRIU not found', tried, hint };
}

/** locateCriu, or a CriuNotFoundError carrying the hint. */
export async function requireCriu(opts: LocateOptions = {}): Promise<CriuFound> {
  const loc = await locateCriu(opts);
  if (loc.found) return loc;
  throw new CriuNotFoundError({ tried: loc.tried, hint: loc.hint, reason: loc.reason });
}

/**
 * criu/install shipped with this copy of zinc: the checkout (daemon/criu/ → ../../criu/install)
 * or the installed package (dist/daemon/criu/ → ../../../criu/install). Walks up to find it.
 */
export function findInstaller(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'criu', 'install');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The one sentence that tells an operator how to get CRIU; `flags` are added to the command. */
export function installHint(installer: string | undefined, flags = ''): string {
  const where = `it installs CRIU >= 4.1 into ${DEFAULT_CRIU_PREFIX} unless a working system criu exists; see docs/criu.md`;
  const args = flags === '' ? '' : ` ${flags}`;
  return installer !== undefined
    ? `run as root: ${installer}${args} (${where})`
    : `run criu/install${args} as root from the zinc checkout or installed package (${where})`;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A path (absolute or relative to cwd) is taken as is; a bare name is searched on PATH. */
async function resolveCommand(
  value: string,
  pathVar: string | undefined,
  extraDirs: readonly string[],
): Promise<string | undefined> {
  if (value.includes('/')) {
    const abs = isAbsolute(value) ? value : resolve(value);
    return (await isExecutableFile(abs)) ? abs : undefined;
  }
  return searchPath(value, pathVar, extraDirs);
}

async function searchPath(
  name: string,
  pathVar: string | undefined,
  extraDirs: readonly string[],
): Promise<string | undefined> {
  // Relative PATH entries (".", "") are skipped: a daemon's lookup must not depend on its cwd.
  const dirs = [...(pathVar ?? '').split(delimiter), ...extraDirs].filter((d) => isAbsolute(d));
  for (const dir of new Set(dirs)) {
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
