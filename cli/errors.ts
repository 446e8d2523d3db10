import { ZincError } from '../daemon/common/zinc-error.js';

export class DaemonNotRunningError extends ZincError {
  readonly code = 'DAEMON_NOT_RUNNING';
  override readonly kind = 'unavailable';
  constructor(readonly socket: string, detail: string) {
    super(`zincd is not running (${detail} at ${socket})`, {
      hint: 'Start it as root with `zincd` (see `zincd --help`), or point --socket / ZINC_SOCKET at its socket',
      context: { socket },
    });
  }
}

/** The local zincd went away in the middle of `zinc migrate`: what happened to the job, and what next. */
export class MigrationContactLostError extends ZincError {
  readonly code = 'MIGRATION_CONTACT_LOST';
  override readonly kind = 'unavailable';
  constructor(readonly gpid: string, readonly to: string, readonly phase: string) {
    super(`lost contact with zincd during the migration of ${gpid} to ${to} (last phase: ${phase})`, {
      hint: `The job is not lost: when zincd runs again it finishes the migration or rolls it back, and the job runs in exactly one place. Start zincd if it is down, then see where the job is with \`zinc show ${gpid}\``,
      context: { gpid, to, phase },
    });
  }
}

export class SocketPermissionError extends ZincError {
  readonly code = 'SOCKET_PERMISSION';
  override readonly kind = 'refused';
  constructor(readonly socket: string) {
    super(`permission denied on ${socket}`, { hint: 'zincd makes its socket usable by every user (mode 0666) in a directory everyone may enter; check the modes of the socket and its directories, or point --socket / ZINC_SOCKET at the right one', context: { socket } });
  }
}

export class UsageError extends ZincError {
  readonly code = 'USAGE';
  override readonly kind = 'invalid';
  constructor(message: string, hint: string) {
    super(message, { hint });
  }
}
