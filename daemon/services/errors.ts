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

export class DomainRefusedError extends ZincError {
  readonly code = 'DOMAIN_REFUSED';
  override readonly kind = 'refused';
  constructor(readonly host: string, readonly fromDomain: string, what: string) {
    super(`${host} does not accept ${what} from domain ${fromDomain}`, {
      hint: `Its administrator can add ${fromDomain} to acceptDomains in ${host}'s zincd config; nothing was changed`,
      context: { host, fromDomain },
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
