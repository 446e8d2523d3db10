import { ZincError } from '../common/zinc-error.js';

export class MigrationRefusedError extends ZincError {
  readonly code = 'MIGRATION_REFUSED';
  override readonly kind = 'refused';
  constructor(readonly gpid: string, readonly to: string, detail: string) {
    super(`${to} refused job ${gpid}: ${detail}`, { hint: 'The job was not touched and keeps running where it is', context: { gpid, to } });
  }
}

export class MigrationFailedError extends ZincError {
  readonly code = 'MIGRATION_FAILED';
  constructor(readonly gpid: string, readonly to: string, readonly phase: string, detail: string, rolledBack: boolean) {
    super(`migration of ${gpid} to ${to} failed while ${phase}: ${detail}`, {
      hint: rolledBack ? 'It was rolled back: the job runs on its source host again, from the same state' : `See \`zinc show ${gpid}\``,
      context: { gpid, to, phase },
    });
  }
}

export class MigrationUnknownError extends ZincError {
  readonly code = 'MIGRATION_UNKNOWN';
  override readonly kind = 'not_found';
  constructor(readonly id: string, host: string) {
    super(`no migration ${id} on ${host}`, { hint: 'It finished or was rolled back; see the job with `zinc show`', context: { id } });
  }
}

export class MigrationStateError extends ZincError {
  readonly code = 'MIGRATION_BAD_STATE';
  override readonly kind = 'conflict';
  constructor(readonly id: string, readonly phase: string, action: string) {
    super(`migration ${id} is ${phase}; cannot ${action}`, { hint: 'Retry in a moment; the hosts are finishing the previous step', context: { id, phase } });
  }
}

export class LazyUnavailableError extends ZincError {
  readonly code = 'LAZY_UNAVAILABLE';
  override readonly kind = 'failed';
  constructor(readonly host: string, detail: string) {
    super(`post-copy (--lazy) is not available on ${host}: ${detail}`, {
      hint: 'Use --lazy=auto to fall back to a plain migration, or fix it (see `zinc doctor`)',
      context: { host },
    });
  }
}


export class IllegalMigrationPhaseError extends ZincError {
  readonly code = 'MIGRATION_ILLEGAL_PHASE';
  override readonly kind = 'internal';
  constructor(readonly id: string, readonly role: string, readonly from: string, readonly to: string) {
    super(`migration ${id} (${role}) cannot go from ${from} to ${to}`, { context: { id, role, from, to } });
  }
}
