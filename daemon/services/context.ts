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
import type { Authorizer } from '../security/authz.js';
import type { Callers } from '../security/callers.js';

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
  /** Who is calling (kernel credentials or a verified certificate) and what they may do; see daemon/security/. */
  auth: Authorizer;
  callers: Callers;
  log: Logger;
}
