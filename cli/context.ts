/** Shared plumbing for commands: the daemon client and uniform error/exit-code handling. */
import type { Command } from 'commander';
import { ZincError, errorMessage } from '../daemon/common/zinc-error.js';
import { DEFAULT_SOCKET, ZincClient } from './client.js';

export interface CliContext {
  client(): ZincClient;
}

export function makeContext(program: Command): CliContext {
  let client: ZincClient | undefined;
  return {
    client() {
      if (!client) {
        const socket = (program.opts<{ socket?: string }>().socket ?? process.env.ZINC_SOCKET) || DEFAULT_SOCKET;
        client = new ZincClient(socket);
      }
      return client;
    },
  };
}

/** Exit codes: 0 ok, 1 operation failed, 2 bad input, 3 daemon/host unreachable, 4 not found,
 * 5 permission denied (this user may not do this; docs/security.md). */
export function exitCodeFor(err: unknown): number {
  if (!(err instanceof ZincError)) return 1;
  switch (err.kind) {
    case 'invalid':
      return 2;
    case 'unavailable':
      return 3;
    case 'not_found':
      return 4;
    case 'denied':
      return 5;
    default:
      return 1;
  }
}

export function fail(err: unknown): number {
  const line = err instanceof ZincError ? err.toUserLine() : errorMessage(err);
  process.stderr.write(`zinc: ${line}\n`);
  if (process.env.ZINC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return exitCodeFor(err);
}

/** Wrap a command's action: errors become one line on stderr and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (err) {
      process.exitCode = fail(err);
    }
  };
}
