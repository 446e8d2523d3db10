// Original file: proto/zinc.proto

import type { JobInfo as _zinc_v1_JobInfo, JobInfo__Output as _zinc_v1_JobInfo__Output } from '../../zinc/v1/JobInfo.js';

export interface ListReply {
  'host'?: (string);
  'jobs'?: (_zinc_v1_JobInfo)[];
}

export interface ListReply__Output {
  'host': (string);
  'jobs': (_zinc_v1_JobInfo__Output)[];
}
