/** What the gRPC services share: the daemon's parts, wired once in daemon/zincd.ts. */
import type { Config } from '../config/schema.js';
import type { Discovery } from '../discovery/discovery.js';
import type { HostIdentity } from '../host/identity.js';
import type { JobManager } from '../jobs/manager.js';
import type { Logger } from '../log.js';
import type { PeerPool } from '../peers/pool.js';
import type { StateLayout } from '../store/layout.js';
import type { HomeReports } from './home-reports.js';
import type { Router } from './router.js';
import type { PlacementEngine } from '../placement/engine.js';

export interface ServiceContext {
  config: Config;
  hostId: string;
  domain: string;
  layout: StateLayout;
  identity: HostIdentity;
  jobs: JobManager;
  discovery: Discovery;
  router: Router;
  pool: PeerPool;
  reports: HomeReports;
  placement: PlacementEngine;
  log: Logger;
}

/** Does this host accept jobs and migrations coming from `domain`? */
export function acceptsDomain(config: Config, ownDomain: string, domain: string): boolean {
  return domain === '' || domain === ownDomain || config.acceptDomains.includes('*') || config.acceptDomains.includes(domain);
}
