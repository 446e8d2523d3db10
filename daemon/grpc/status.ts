/**
 * Carries ZincErrors across gRPC: the server turns one into a status code plus `zinc-code` and
 * `zinc-hint` metadata; the client turns that back into a RemoteError with the same code and hint,
 * so a CLI two hops away prints exactly what the failing daemon said.
 */
import * as grpc from '@grpc/grpc-js';
import { ERROR_KINDS, ZincError, errorMessage, type ErrorKind } from '../common/zinc-error.js';

const KIND_TO_STATUS: Record<ErrorKind, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  not_found: grpc.status.NOT_FOUND,
  unavailable: grpc.status.UNAVAILABLE,
  refused: grpc.status.PERMISSION_DENIED,
  denied: grpc.status.PERMISSION_DENIED,
  conflict: grpc.status.ABORTED,
  failed: grpc.status.FAILED_PRECONDITION,
  internal: grpc.status.INTERNAL,
};

/** For statuses without `zinc-kind` metadata (older daemons, gRPC's own errors). */
const STATUS_TO_KIND = new Map<grpc.status, ErrorKind>(
  Object.entries(KIND_TO_STATUS)
    .filter(([k]) => k !== 'denied')
    .map(([k, v]) => [v, k as ErrorKind]),
);

export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  if (err instanceof ZincError) {
    metadata.set('zinc-code', err.code);
    // Two kinds share PERMISSION_DENIED; the CLI's exit code tells them apart.
    metadata.set('zinc-kind', err.kind);
    if (err.hint) metadata.set('zinc-hint', err.hint);
    return { code: KIND_TO_STATUS[err.kind], details: err.message, metadata };
  }
  metadata.set('zinc-code', 'INTERNAL');
  return { code: grpc.status.INTERNAL, details: `internal error: ${errorMessage(err)}`, metadata };
}

/** An error reported by a daemon (local or remote). */
export class RemoteError extends ZincError {
  readonly code: string;
  override readonly kind: ErrorKind;
  constructor(code: string, kind: ErrorKind, message: string, hint: string | undefined, readonly grpcCode: grpc.status) {
    super(message, hint === undefined ? {} : { hint });
    this.code = code;
    this.kind = kind;
  }
}

export function fromServiceError(err: grpc.ServiceError): RemoteError {
  const code = String(err.metadata?.get('zinc-code')[0] ?? grpcCodeName(err.code));
  const hintValue = err.metadata?.get('zinc-hint')[0];
  const hint = hintValue === undefined ? undefined : String(hintValue);
  const sent = String(err.metadata?.get('zinc-kind')[0] ?? '');
  const kind = ERROR_KINDS.find((k) => k === sent) ?? STATUS_TO_KIND.get(err.code) ?? 'failed';
  return new RemoteError(code, kind, err.details || err.message, hint, err.code);
}

function grpcCodeName(code: grpc.status): string {
  return (grpc.status as unknown as Record<number, string>)[code] ?? `GRPC_${code}`;
}

export function isServiceError(err: unknown): err is grpc.ServiceError {
  return typeof err === 'object' && err !== null && 'code' in err && 'metadata' in err && 'details' in err;
}
