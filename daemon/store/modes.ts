/**
 * Who may read what under the state directory. Job output, CRIU images and manifests (which hold
 * the job's environment) are the job owner's and root's alone:
 *   <state>/              0711  others may traverse (the local socket lives here by default)
 *   <state>/jobs/         0711  … to reach nothing but what they are given by path
 *   jobs/<gpid>/          0711
 *   jobs/<gpid>/files/    0700  owned by the job's user (its output and working files)
 *   jobs/<gpid>/ctl/      0700  root: argv, env, supervisor and CRIU logs
 *   jobs/<gpid>/checkpoints/, migrations/, corrupt/   0700 root
 * Files zinc itself writes there are 0600.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import type { StateLayout } from './layout.js';

export const TRAVERSE_ONLY = 0o711;
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** mkdir -p with `mode`, and the mode set even if the directory already existed (older zinc). */
export function ensureDirMode(dir: string, mode: number): void {
  mkdirSync(dir, { recursive: true, mode });
  chmodSync(dir, mode);
}

/** At start-up: the state directory and its top-level folders. */
export function secureStateDir(layout: StateLayout): void {
  ensureDirMode(layout.root, TRAVERSE_ONLY);
  ensureDirMode(layout.jobsDir, TRAVERSE_ONLY);
  ensureDirMode(layout.migrationsDir, PRIVATE_DIR);
}

/** A job's directories as the table above says (files/ is chowned by the caller, see manager). */
export function secureJobDirs(layout: StateLayout, gpid: string): void {
  ensureDirMode(layout.jobDir(gpid), TRAVERSE_ONLY);
  ensureDirMode(layout.ctlDir(gpid), PRIVATE_DIR);
  ensureDirMode(layout.filesDir(gpid), PRIVATE_DIR);
}
