/**
 * Which local account a user of another domain becomes here. The rule, in the manner of
 * HTCondor's UID_DOMAIN and Slurm federations: users of this host's own domain keep their names;
 * users of another domain are mapped only by the operator's `userMap` ({ DOMAIN | "*": { USER | "*":
 * LOCAL | "=" } }); "=" keeps the name, a "*" domain covers the domains not listed. Root is never reached through "*": a remote root needs an
 * explicit "root" entry. Everything else is refused.
 */
import type { Config } from '../config/schema.js';

export type UserMap = Config['userMap'];

/** The local account name for `user` of `domain`, or undefined when the map does not say. */
export function mapRemoteUser(map: UserMap, ownDomain: string, domain: string, user: string): string | undefined {
  if (domain === ownDomain) return user;
  const rules = map[domain] ?? map['*'];
  if (!rules) return undefined;
  const explicit = rules[user];
  const target = explicit ?? (user === 'root' ? undefined : rules['*']);
  if (target === undefined) return undefined;
  const local = target === '=' ? user : target;
  // A wildcard never yields root, whatever it says.
  if (local === 'root' && explicit === undefined) return undefined;
  return local;
}
