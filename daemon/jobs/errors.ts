import { ZincError } from '../common/zinc-error.js';
import type { JobState } from './state-machine.js';

export class JobNotFoundError extends ZincError {
  readonly code = 'JOB_NOT_FOUND';
  override readonly kind = 'not_found';
  constructor(readonly gpid: string, where?: string) {
    super(`no job ${gpid}${where ? ` on ${where}` : ''}`, {
      hint: 'List jobs with `zinc ps -a` (add --host H for another host)',
      context: { gpid },
    });
  }
}

export class InvalidGpidError extends ZincError {
  readonly code = 'GPID_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly text: string) {
    super(`"${text}" is not a GPID`, { hint: 'A GPID looks like <host>.<number>, e.g. frodo-1.42, as printed by `zinc submit`', context: { text } });
  }
}

export class IllegalTransitionError extends ZincError {
  readonly code = 'JOB_ILLEGAL_TRANSITION';
  override readonly kind = 'conflict';
  constructor(readonly gpid: string, readonly from: JobState, readonly to: JobState, action?: string) {
    super(`job ${gpid} is ${from}${action ? `; cannot ${action} it` : ` and cannot become ${to}`}`, {
      hint: 'See its state with `zinc show ' + gpid + '`',
      context: { gpid, from, to },
    });
  }
}

export class InvalidJobSpecError extends ZincError {
  readonly code = 'JOB_SPEC_INVALID';
  override readonly kind = 'invalid';
  constructor(message: string, hint: string) {
    super(message, { hint });
  }
}

export class UnknownUserError extends ZincError {
  readonly code = 'USER_UNKNOWN';
  override readonly kind = 'invalid';
  constructor(readonly user: string, host: string) {
    super(`unknown user "${user}" on ${host}`, { hint: 'Give an existing user name or numeric uid with --user', context: { user } });
  }
}

export class MissingCwdError extends ZincError {
  readonly code = 'CWD_MISSING';
  override readonly kind = 'invalid';
  constructor(readonly cwd: string, host: string, detail: string) {
    super(`working directory ${cwd} is not usable on ${host}: ${detail}`, {
      hint: 'Create it first or give an existing directory with --cwd (it must exist on the host that runs the job)',
      context: { cwd },
    });
  }
}

export class JobStartError extends ZincError {
  readonly code = 'JOB_START_FAILED';
  constructor(readonly gpid: string, detail: string) {
    super(`job ${gpid} could not start: ${detail}`, { hint: `See \`zinc show ${gpid}\` for its events`, context: { gpid } });
  }
}

export class SupervisorMissingError extends ZincError {
  readonly code = 'SHIM_MISSING';
  constructor(readonly path: string) {
    super(`the job supervisor binary is missing at ${path}`, {
      hint: 'Build it with `npm run build` in the zinc checkout (needs a C compiler), or pass --shim PATH',
      context: { path },
    });
  }
}
