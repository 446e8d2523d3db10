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

export class SocketPermissionError extends ZincError {
  readonly code = 'SOCKET_PERMISSION';
  override readonly kind = 'refused';
  constructor(readonly socket: string) {
    super(`permission denied on ${socket}`, { hint: 'Run zinc as root (the socket is mode 0600 until caller identity is verified)', context: { socket } });
  }
}

export class UsageError extends ZincError {
  readonly code = 'USAGE';
  override readonly kind = 'invalid';
  constructor(message: string, hint: string) {
    super(message, { hint });
  }
}
