import { ZincError } from '../common/zinc-error.js';

export class HostUnknownError extends ZincError {
  readonly code = 'HOST_UNKNOWN';
  override readonly kind = 'not_found';
  constructor(readonly host: string, known: string[]) {
    super(`unknown host "${host}"${known.length ? ` (known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})` : ''}`, {
      hint: 'List hosts with `zinc hosts`; a new host appears once its zincd gossips (check its --peers)',
      context: { host },
    });
  }
}

export class HostUnreachableError extends ZincError {
  readonly code = 'HOST_UNREACHABLE';
  override readonly kind = 'unavailable';
  constructor(readonly host: string, readonly address: string, detail: string) {
    super(`host ${host} (${address}) is unreachable: ${detail}`, {
      hint: `Check that zincd runs on ${host} and that ${address} is reachable; nothing was changed`,
      context: { host, address },
    });
  }
}

export class TooManyHopsError extends ZincError {
  readonly code = 'FORWARD_LOOP';
  override readonly kind = 'failed';
  constructor(readonly what: string) {
    super(`request for ${what} was forwarded too many times (a routing loop)`, {
      hint: 'The hosts disagree about where it is (a migration may be settling); retry in a few seconds. `zinc show` on the host the job last ran on (`zinc --socket` that host\'s zincd socket) reads its own record without forwarding',
    });
  }
}

export class InvalidRequestError extends ZincError {
  readonly code = 'REQUEST_INVALID';
  override readonly kind = 'invalid';
  constructor(message: string, hint = 'Check the command line; `zinc help <command>` shows the usage') {
    super(message, { hint });
  }
}

/** A peer's Jobs.Report is malformed or too large: it is dropped and nothing is recorded. */
export class ReportInvalidError extends ZincError {
  readonly code = 'REPORT_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly gpid: string, readonly from: string, readonly detail: string) {
    super(`report about ${gpid || '(no GPID)'} from ${from} is invalid: ${detail}`, {
      hint: 'The reporting zincd sent a malformed or oversized job report; check its version and logs. Nothing was recorded',
      context: { gpid, from, detail },
    });
  }
}

/** A peer reported about a job this host cannot have placed there (not homed here, never issued, wrong host). */
export class ReportRefusedError extends ZincError {
  readonly code = 'REPORT_REFUSED';
  override readonly kind = 'refused';
  constructor(readonly gpid: string, readonly from: string, readonly detail: string) {
    super(`report about ${gpid} from ${from} refused: ${detail}`, {
      hint: 'Reports go to the GPID\'s home host, about jobs it issued, from the host the job is on. If this repeats, check the reporting host: it may be misconfigured or hostile. Nothing was recorded',
      context: { gpid, from, detail },
    });
  }
}
