/**
 * For unit tests that serve the real gRPC services without the local socket: every call is
 * local root, as if made by `zinc` run as root on the host.
 */
import { Authorizer } from '../../daemon/security/authz.js';
import type { Callers } from '../../daemon/security/callers.js';

export function rootAuthorizer(hostId: string, domain: string): Authorizer {
  const callers = { of: () => ({ kind: 'local', uid: 0, gid: 0, pid: process.pid }) } as unknown as Callers;
  return new Authorizer({ callers, hostId, domain, userMap: {}, lookup: async () => ({ name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' }) });
}

/** The trust settings of a default config (every domain). */
export const OPEN_TRUST = { acceptDomains: ['*'], acceptJobsFrom: ['*'], acceptMigrationsFrom: ['*'], sendJobsTo: ['*'] };
