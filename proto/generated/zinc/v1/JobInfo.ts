// Original file: proto/zinc.proto

import type { JobState as _zinc_v1_JobState, JobState__Output as _zinc_v1_JobState__Output } from '../../zinc/v1/JobState.js';
import type { JobSpec as _zinc_v1_JobSpec, JobSpec__Output as _zinc_v1_JobSpec__Output } from '../../zinc/v1/JobSpec.js';
import type { ExitInfo as _zinc_v1_ExitInfo, ExitInfo__Output as _zinc_v1_ExitInfo__Output } from '../../zinc/v1/ExitInfo.js';
import type { Usage as _zinc_v1_Usage, Usage__Output as _zinc_v1_Usage__Output } from '../../zinc/v1/Usage.js';
import type { JobEvent as _zinc_v1_JobEvent, JobEvent__Output as _zinc_v1_JobEvent__Output } from '../../zinc/v1/JobEvent.js';
import type { PlacementDecision as _zinc_v1_PlacementDecision, PlacementDecision__Output as _zinc_v1_PlacementDecision__Output } from '../../zinc/v1/PlacementDecision.js';
import type { Long } from '@grpc/proto-loader';

export interface JobInfo {
  'gpid'?: (string);
  'name'?: (string);
  'state'?: (_zinc_v1_JobState);
  /**
   * where the job is (or was last seen)
   */
  'host'?: (string);
  'home'?: (string);
  'spec'?: (_zinc_v1_JobSpec | null);
  'submittedAtMs'?: (number | string | Long);
  'startedAtMs'?: (number | string | Long);
  'endedAtMs'?: (number | string | Long);
  'exit'?: (_zinc_v1_ExitInfo | null);
  'usage'?: (_zinc_v1_Usage | null);
  /**
   * why it failed / is in its state, for humans
   */
  'reason'?: (string);
  'events'?: (_zinc_v1_JobEvent)[];
  /**
   * pid of the job's root process on `host` (0 if not running)
   */
  'jobPid'?: (number);
  'shimPid'?: (number);
  /**
   * resolved working directory
   */
  'cwd'?: (string);
  /**
   * the job's files (stdout, stderr, work/) on `host`
   */
  'jobDir'?: (string);
  'migrations'?: (number);
  /**
   * hosts the job has run on, in order
   */
  'hops'?: (string)[];
  'placement'?: (_zinc_v1_PlacementDecision | null);
  /**
   * Location epoch: +1 when the job arrives on a host, +2 when a migration rolls back (past any
   * arrival its destination may have reported). The home believes the report with the highest.
   */
  'epoch'?: (number | string | Long);
}

export interface JobInfo__Output {
  'gpid': (string);
  'name': (string);
  'state': (_zinc_v1_JobState__Output);
  /**
   * where the job is (or was last seen)
   */
  'host': (string);
  'home': (string);
  'spec': (_zinc_v1_JobSpec__Output | null);
  'submittedAtMs': (number);
  'startedAtMs': (number);
  'endedAtMs': (number);
  'exit': (_zinc_v1_ExitInfo__Output | null);
  'usage': (_zinc_v1_Usage__Output | null);
  /**
   * why it failed / is in its state, for humans
   */
  'reason': (string);
  'events': (_zinc_v1_JobEvent__Output)[];
  /**
   * pid of the job's root process on `host` (0 if not running)
   */
  'jobPid': (number);
  'shimPid': (number);
  /**
   * resolved working directory
   */
  'cwd': (string);
  /**
   * the job's files (stdout, stderr, work/) on `host`
   */
  'jobDir': (string);
  'migrations': (number);
  /**
   * hosts the job has run on, in order
   */
  'hops': (string)[];
  'placement': (_zinc_v1_PlacementDecision__Output | null);
  /**
   * Location epoch: +1 when the job arrives on a host, +2 when a migration rolls back (past any
   * arrival its destination may have reported). The home believes the report with the highest.
   */
  'epoch': (number);
}
