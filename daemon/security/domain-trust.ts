/**
 * Domain trust, per host (docs/security.md, "Domains"): which domains may place jobs here,
 * which may migrate jobs in, and which this host may send jobs to. A host always trusts its own
 * domain. Which domains can talk to this host at all is decided earlier, by the CA bundle; these
 * lists narrow what each trusted domain may do.
 */
import type { Config } from '../config/schema.js';
import { DomainRefusedError } from './errors.js';

export type TrustDirection = 'jobs-from' | 'migrations-from' | 'send-to';

const SETTING: Record<TrustDirection, { list: 'acceptJobsFrom' | 'acceptMigrationsFrom' | 'sendJobsTo'; flag: string; what: string }> = {
  'jobs-from': { list: 'acceptJobsFrom', flag: '--accept-jobs-from', what: 'accept jobs from' },
  'migrations-from': { list: 'acceptMigrationsFrom', flag: '--accept-migrations-from', what: 'accept migrations from' },
  'send-to': { list: 'sendJobsTo', flag: '--send-jobs-to', what: 'send jobs to' },
};

export function trusts(config: Pick<Config, 'domain' | 'acceptJobsFrom' | 'acceptMigrationsFrom' | 'sendJobsTo'>, direction: TrustDirection, domain: string): boolean {
  if (domain === config.domain) return true;
  const list = config[SETTING[direction].list];
  return list.includes('*') || list.includes(domain);
}

/** Throws DomainRefusedError (naming the setting to change) unless the policy allows it. */
export function requireTrust(config: Pick<Config, 'hostId' | 'domain' | 'acceptJobsFrom' | 'acceptMigrationsFrom' | 'sendJobsTo'>, direction: TrustDirection, domain: string): void {
  if (trusts(config, direction, domain)) return;
  const s = SETTING[direction];
  throw new DomainRefusedError(config.hostId, domain, s.what, `${s.list} (${s.flag})`);
}
