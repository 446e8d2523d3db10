/**
 * Turns a SubmitRequest's JobSpec into a validated local job description, checking everything that
 * would make the job fail to start — unknown user, missing working directory, a command that does
 * not exist — before anything is created, so bad input changes nothing.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { JobSpec } from '../../proto/generated/zinc/v1/JobSpec.js';
import { InvalidJobSpecError, MissingCwdError, UnknownUserError } from '../jobs/errors.js';
import { resolveExecutable } from '../jobs/environment.js';
import type { JobSpecRecord } from '../jobs/record.js';
import { lookupUser } from '../jobs/users.js';

const ENV_RE = /^[A-Za-z_][A-Za-z0-9_]*=/;

const wireSpec = z.object({
  argv: z.array(z.string()).default([]),
  env: z.array(z.string()).default([]),
  cwd: z.string().default(''),
  user: z.string().default(''),
  name: z.string().max(128).default(''),
  memBytes: z.number().nonnegative().default(0),
  checkpointEveryMs: z.number().nonnegative().default(0),
  keepCheckpoints: z.number().int().nonnegative().default(0),
  domain: z.string().default(''),
});

export interface CheckedSpec {
  name: string;
  argv: string[];
  env: string[];
  cwd: string | null;
  user: string;
  memBytes: number;
  checkpointEveryMs: number;
  keepCheckpoints: number;
  domain: string;
}

/** Checks that do not depend on the host: usable anywhere before routing. */
export function checkSpec(spec: JobSpec | null | undefined): CheckedSpec {
  const parsed = wireSpec.safeParse(spec ?? {});
  if (!parsed.success) throw new InvalidJobSpecError(`invalid job: ${parsed.error.issues[0]?.message ?? 'malformed'}`, 'Check the submit options');
  const s = parsed.data;
  if (s.argv.length === 0 || s.argv[0] === '') {
    throw new InvalidJobSpecError('no command given', 'Put the command after --, e.g. `zinc submit -- sleep 60`');
  }
  for (const e of s.env) {
    if (!ENV_RE.test(e)) throw new InvalidJobSpecError(`invalid environment entry "${e}"`, 'Use --env KEY=VALUE, KEY made of letters, digits and _');
  }
  if (s.cwd && !isAbsolute(s.cwd)) throw new InvalidJobSpecError(`--cwd ${s.cwd} is not absolute`, 'Give an absolute path');
  if (s.name && !/^[\w.@+-]+$/.test(s.name)) {
    throw new InvalidJobSpecError(`invalid job name "${s.name}"`, 'Use letters, digits and . _ - @ + only');
  }
  if (s.checkpointEveryMs > 0 && s.checkpointEveryMs < 500) {
    throw new InvalidJobSpecError('--checkpoint-every must be at least 500ms', 'Checkpoints take time; choose e.g. 1s or 5m');
  }
  return {
    name: s.name || basenameOf(s.argv[0] ?? 'job'),
    argv: s.argv,
    env: s.env,
    cwd: s.cwd || null,
    user: s.user || 'root',
    memBytes: s.memBytes,
    checkpointEveryMs: s.checkpointEveryMs,
    keepCheckpoints: s.keepCheckpoints,
    domain: s.domain,
  };
}

export interface LocalSpec {
  spec: JobSpecRecord;
  userHome: string;
}

/** Checks against this host: the user exists, the working directory and the command are usable. */
export async function prepareLocal(s: CheckedSpec, hostId: string, workDir: string): Promise<LocalSpec> {
  const user = await lookupUser(s.user);
  if (!user) throw new UnknownUserError(s.user, hostId);
  const cwd = s.cwd ?? workDir;
  if (s.cwd) {
    let st;
    try {
      st = statSync(s.cwd);
    } catch (err) {
      throw new MissingCwdError(s.cwd, hostId, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message);
    }
    if (!st.isDirectory()) throw new MissingCwdError(s.cwd, hostId, 'it is not a directory');
  }
  const exe = resolveExecutable(s.argv[0] ?? '', s.env, cwd, isExecutable);
  if (!exe) {
    throw new InvalidJobSpecError(`command not found on ${hostId}: ${s.argv[0]}`, 'Check the spelling, give a full path, or set PATH with --env');
  }
  return {
    spec: {
      argv: s.argv,
      env: s.env,
      cwd: s.cwd,
      user: user.name,
      uid: user.uid,
      gid: user.gid,
      memBytes: s.memBytes,
      checkpointEveryMs: s.checkpointEveryMs,
      keepCheckpoints: s.keepCheckpoints,
      domain: s.domain,
    },
    userHome: user.home,
  };
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function basenameOf(p: string): string {
  const b = p.split('/').pop() ?? p;
  return b.replace(/[^\w.@+-]/g, '_').slice(0, 64) || 'job';
}
