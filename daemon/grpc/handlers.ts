/** Adapters from async functions to grpc-js handlers, with ZincError → status mapping. */
import type * as grpc from '@grpc/grpc-js';
import { ZincError } from '../common/zinc-error.js';
import type { Logger } from '../log.js';
import { toServiceError } from './status.js';

export function unaryHandler<Req, Res>(log: Logger, name: string, fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => {
        logFailure(log, name, err);
        callback(toServiceError(err) as grpc.ServiceError);
      },
    );
  };
}

/** End a server stream with the error's status (grpc-js sends a status on 'error', not on destroy). */
export function failStream(call: { emit(event: 'error', err: unknown): boolean }, err: unknown): void {
  call.emit('error', toServiceError(err));
}

export function logFailure(log: Logger, name: string, err: unknown): void {
  if (err instanceof ZincError && err.kind !== 'internal') log.debug({ rpc: name, code: err.code, err: err.message }, 'request refused');
  else log.error({ rpc: name, err: err instanceof Error ? err.stack : String(err) }, 'request failed');
}
