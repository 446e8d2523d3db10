/** The CRIU this daemon uses: located and version-checked once, on first use. */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { adaptCriuToBreakpoints, type BreakpointProbe } from '../criu/breakpoints.js';
import { CriuNotFoundError, CriuTooOldError } from '../criu/errors.js';
import { requireCriu } from '../criu/locate.js';
import { isSupportedCriuVersion, MIN_CRIU_VERSION, parseCriuVersion, runCriu, type CriuVersion } from '../criu/probe.js';

export interface Criu {
  path: string;
  version: CriuVersion;
  /** What to execute: `command` followed by `prefix`, then CRIU's own arguments. */
  command: string;
  prefix: string[];
  /** Whether CRIU's breakpoints work here; where not, CRIU_FAULT=130 is set for every CRIU run. */
  breakpoints: BreakpointProbe;
}

/** The full argv for running CRIU with `args`. */
export function criuArgv(c: Criu, args: string[]): string[] {
  return [c.command, ...c.prefix, ...args];
}

/**
 * criu/install's wrapper is a shell script that execs CRIU through a private loader. Starting a
 * shell costs ~5 ms per CRIU call, inside a job's downtime; for that exact wrapper (it says
 * "layout 1"), run the loader directly with the same arguments the script would pass.
 */
function directCommand(path: string): { command: string; prefix: string[] } {
  try {
    const head = readFileSync(path, 'utf8').slice(0, 400);
    if (!head.startsWith('#!/bin/sh') || !head.includes("Written by zinc's criu/install (layout 1)")) return { command: path, prefix: [] };
    const prefixDir = dirname(dirname(realpathSync(path)));
    const lib = join(prefixDir, 'root', 'usr', 'lib', 'x86_64-linux-gnu');
    const loader = join(lib, 'ld-linux-x86-64.so.2');
    const binary = join(prefixDir, 'root', 'usr', 'sbin', 'criu');
    if (!existsSync(loader) || !existsSync(binary)) return { command: path, prefix: [] };
    return { command: loader, prefix: ['--library-path', lib, '--argv0', path, binary] };
  } catch {
    return { command: path, prefix: [] };
  }
}

export class CriuResolver {
  private cached: Promise<Criu> | undefined;

  constructor(private readonly explicit: string | undefined) {}

  get(): Promise<Criu> {
    this.cached ??= this.resolve().catch((err: unknown) => {
      this.cached = undefined; // try again next time (e.g. after criu/install)
      throw err;
    });
    return this.cached;
  }

  private async resolve(): Promise<Criu> {
    const found = await requireCriu(this.explicit ? { explicit: this.explicit } : {});
    const run = await runCriu(found.path, ['--version'], { timeoutMs: 20_000 });
    const version = parseCriuVersion(run.stdout + run.stderr);
    if (!version) throw new CriuNotFoundError({ tried: [found.path], reason: `${found.path} --version printed no version`, hint: 'Run criu/install as root' });
    if (!isSupportedCriuVersion(version)) {
      throw new CriuTooOldError({ binary: found.path, version: version.text, minimum: MIN_CRIU_VERSION.text, hint: 'Run criu/install as root to get CRIU >= 4.1' });
    }
    const breakpoints = await adaptCriuToBreakpoints();
    return { path: found.path, version, ...directCommand(found.path), breakpoints };
  }
}
