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

/** A migration offer is malformed, oversized or inconsistent; nothing was kept. */
export class OfferInvalidError extends ZincError {
  readonly code = 'OFFER_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly id: string, readonly from: string, readonly detail: string) {
    super(`migration offer ${id || '(no id)'} from ${from} is invalid: ${detail}`, {
      hint: 'The source zincd sent an offer this host cannot accept; check its version and logs. Nothing was kept here',
      context: { id, from, detail },
    });
  }
}

/** The offer's return address is not the one gossip knows for its source host. */
export class OfferAddressError extends ZincError {
  readonly code = 'OFFER_ADDRESS_MISMATCH';
  override readonly kind = 'refused';
  constructor(readonly from: string, readonly offered: string, readonly known: string | undefined) {
    super(
      known
        ? `migration offer from ${from} gives ${offered} as its address, but gossip says ${from} is at ${known}`
        : `migration offer from ${from} (${offered}): this host has no gossip record of ${from}`,
      {
        hint: known
          ? `This host only pulls a job from the address its source advertises; check ${from}'s --advertise, or wait for gossip to settle and retry`
          : `Wait until ${from} appears in \`zinc hosts\` here (check its --peers), then retry; the job was not touched`,
        context: { from, offered, known },
      },
    );
  }
}

/** Too many incoming migrations are under way here (from all hosts, or from this one). */
export class IncomingLimitError extends ZincError {
  readonly code = 'MIGRATION_LIMIT';
  override readonly kind = 'unavailable';
  constructor(readonly host: string, readonly from: string, readonly active: number, readonly limit: number, readonly perHost: boolean) {
    super(`${host} already receives ${active} migrations${perHost ? ` from ${from}` : ''} (limit ${limit})`, {
      hint: 'Retry when one of them has finished; the job was not touched and keeps running where it is',
      context: { host, from, active, limit },
    });
  }
}

/** The job is already being received here, or already runs here. */
export class OfferDuplicateError extends ZincError {
  readonly code = 'MIGRATION_DUPLICATE';
  override readonly kind = 'conflict';
  constructor(readonly gpid: string, readonly host: string, readonly detail: string) {
    super(`job ${gpid} ${detail} on ${host}`, {
      hint: `A GPID runs in one place only; see where it is with \`zinc show ${gpid}\`. The job was not touched`,
      context: { gpid, host },
    });
  }
}

/** A peer went silent in the middle of a migration stream. */
export class TransferIdleError extends ZincError {
  readonly code = 'TRANSFER_IDLE';
  override readonly kind = 'unavailable';
  constructor(readonly id: string, readonly peer: string, readonly waitedMs: number, readonly what: string) {
    super(`migration ${id}: ${peer} sent nothing for ${Math.round(waitedMs / 1000)} s (${what})`, {
      hint: `Check ${peer} and the link to it; the migration was dropped here and the job stays on its source`,
      context: { id, peer, waitedMs },
    });
  }
}
