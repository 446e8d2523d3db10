import { ZincError } from '../common/zinc-error.js';

const SHOW_HINT = 'List policies and their parameters with `zinc policy show`';

/** A chain names a policy that is not registered. */
export class PolicyUnknownError extends ZincError {
  readonly code = 'POLICY_UNKNOWN';
  override readonly kind = 'invalid';
  constructor(readonly policy: string, available: string[]) {
    super(`no policy "${policy}"${available.length ? ` (available: ${available.join(', ')})` : ''}`, {
      hint: SHOW_HINT,
      context: { policy },
    });
  }
}

/** A filter was given where a scorer belongs, or the reverse. */
export class PolicyKindError extends ZincError {
  readonly code = 'POLICY_KIND_MISMATCH';
  override readonly kind = 'invalid';
  constructor(readonly policy: string, readonly actual: string, readonly wanted: string) {
    super(`"${policy}" is a ${actual}, not a ${wanted}`, {
      hint: wanted === 'scorer' ? 'Give a scorer as NAME and filters with --filters' : 'Give filters with --filters and the scorer as NAME',
      context: { policy, actual, wanted },
    });
  }
}

/** --param names a key the policy does not have. */
export class PolicyParamUnknownError extends ZincError {
  readonly code = 'POLICY_PARAM_UNKNOWN';
  override readonly kind = 'invalid';
  constructor(readonly policy: string, readonly key: string, known: string[]) {
    super(`${policy} has no parameter "${key}" (${known.length ? `its parameters: ${known.join(', ')}` : 'it takes none'})`, {
      hint: SHOW_HINT,
      context: { policy, key },
    });
  }
}

/** --param key=value with a value the policy's schema rejects. */
export class PolicyParamInvalidError extends ZincError {
  readonly code = 'POLICY_PARAM_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly policy: string, readonly key: string, readonly value: string, detail: string) {
    super(`${policy}: ${key}="${value}" is not valid: ${detail}`, {
      hint: `Give ${key} a valid value; \`zinc policy show\` lists the defaults`,
      context: { policy, key, value },
    });
  }
}

/** --param key=value where several stages of the chain have `key`. */
export class PolicyParamAmbiguousError extends ZincError {
  readonly code = 'POLICY_PARAM_AMBIGUOUS';
  override readonly kind = 'invalid';
  constructor(readonly key: string, owners: string[]) {
    super(`parameter "${key}" belongs to several policies in the chain (${owners.join(', ')})`, {
      hint: `Qualify it, e.g. --param ${owners[0] ?? 'NAME'}.${key}=VALUE`,
      context: { key },
    });
  }
}

/** --param name.key=value where `name` is not in the chain. */
export class PolicyNotInChainError extends ZincError {
  readonly code = 'POLICY_NOT_IN_CHAIN';
  override readonly kind = 'invalid';
  constructor(readonly policy: string, chain: string) {
    super(`"${policy}" is not in the chain (${chain})`, {
      hint: 'Add it with --filters (filters) or name it as the scorer first',
      context: { policy },
    });
  }
}

/** The same filter twice, no scorer, … */
export class PolicyChainInvalidError extends ZincError {
  readonly code = 'POLICY_CHAIN_INVALID';
  override readonly kind = 'invalid';
  constructor(detail: string, hint = 'Fix the chain with `zinc policy set`; `zinc policy show` lists what is available') {
    super(`invalid policy chain: ${detail}`, { hint });
  }
}

/** The persisted chain (<state>/policy.json) cannot be read back. */
export class PolicyFileInvalidError extends ZincError {
  readonly code = 'POLICY_FILE_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly path: string, detail: string) {
    super(`${path} is not a valid policy chain: ${detail}`, {
      hint: 'Remove the file to start from the default chain, or fix it by hand; zincd used the default chain meanwhile',
      context: { path },
    });
  }
}

/** Registering two policies with one name is a programming error, caught at start-up. */
export class PolicyDuplicateError extends ZincError {
  readonly code = 'POLICY_DUPLICATE';
  override readonly kind = 'internal';
  constructor(readonly policy: string) {
    super(`a policy named "${policy}" is already registered`, { hint: 'Give the new policy another name', context: { policy } });
  }
}

/** No host passed the chain. The message summarises why, `zinc show`-style. */
export class NoEligibleHostError extends ZincError {
  readonly code = 'PLACEMENT_NO_HOST';
  override readonly kind = 'failed';
  constructor(summary: string) {
    super(`no host can take the job: ${summary}`, {
      hint: 'See `zinc hosts` and `zinc policy show`; relax --mem or --domain, undrain a host, or name one with --host',
    });
  }
}

/** A job was sent to a host that `zinc drain` has closed to new jobs. */
export class HostDrainingError extends ZincError {
  readonly code = 'HOST_DRAINING';
  override readonly kind = 'refused';
  constructor(readonly host: string) {
    super(`${host} is draining and takes no new jobs`, {
      hint: `Submit without --host to let the policy choose another host, or reopen it with \`zinc undrain ${host}\``,
      context: { host },
    });
  }
}
