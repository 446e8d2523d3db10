/**
 * The environment a job starts with. Like HTCondor (and unlike Slurm) a job does not inherit the
 * daemon's environment: it gets a small, predictable base plus what the submitter passed with
 * --env (or --getenv, which sends the submitter's own environment).
 */
import { resolve } from 'node:path';
import type { JobRecord } from './record.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function buildJobEnv(r: JobRecord, userHome: string): string[] {
  const env = new Map<string, string>([
    ['PATH', DEFAULT_PATH],
    ['HOME', userHome],
    ['USER', r.spec.user],
    ['LOGNAME', r.spec.user],
    ['LANG', 'C.UTF-8'],
    // Stable across migrations: do not add anything host-specific here, the environment is part
    // of the checkpointed process and does not change when the job moves.
    ['ZINC_GPID', r.gpid],
    ['ZINC_JOB_NAME', r.name],
  ]);
  for (const kv of r.spec.env) {
    const eq = kv.indexOf('=');
    if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** Find an executable the way execvp will, so a typo is reported at submit time. */
export function resolveExecutable(argv0: string, env: string[], cwd: string, exists: (p: string) => boolean): string | undefined {
  if (argv0.includes('/')) {
    const p = resolve(cwd, argv0);
    return exists(p) ? p : undefined;
  }
  const pathVar = [...env].reverse().find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  for (const dir of pathVar.split(':')) {
    const p = `${dir || '.'}/${argv0}`;
    if (exists(p)) return p;
  }
  return undefined;
}
