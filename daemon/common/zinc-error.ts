/**
 * Base class for every error zinc reports to a user or a peer.
 *
 * Each area (jobs, cgroups, checkpoint, migration, …) has its own `errors.ts` with subclasses.
 * A subclass fixes a stable `code` (never reworded: scripts and peers match on it), carries the
 * context that explains the failure as typed fields, and a `hint` that tells the user what to do next.
 */
export type ErrorContext = Record<string, string | number | boolean | undefined>;

/** What kind of failure this is; the gRPC layer maps it to a status code. `refused`: a policy says
 * no (a domain, a draining host); `denied`: this caller lacks the permission (see docs/security.md). */
export type ErrorKind = 'invalid' | 'not_found' | 'unavailable' | 'refused' | 'denied' | 'conflict' | 'failed' | 'internal';

export const ERROR_KINDS: readonly ErrorKind[] = ['invalid', 'not_found', 'unavailable', 'refused', 'denied', 'conflict', 'failed', 'internal'];

export abstract class ZincError extends Error {
  /** Stable machine-readable code, e.g. `JOB_NOT_FOUND`. */
  abstract readonly code: string;
  /** Overridden by subclasses; `failed` = a precondition or operation failed. */
  readonly kind: ErrorKind = 'failed';
  /** What the user can do about it. Shown after the message. */
  readonly hint: string | undefined;
  readonly context: ErrorContext;

  constructor(message: string, opts: { hint?: string; context?: ErrorContext; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.hint = opts.hint;
    this.context = opts.context ?? {};
  }

  /** One line for a terminal: message, then the hint. */
  toUserLine(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

/** Errors that are bugs or states zinc cannot explain; carries the original error as `cause`. */
export class InternalError extends ZincError {
  readonly code = 'INTERNAL';
  override readonly kind = 'internal';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
