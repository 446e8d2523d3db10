// Original file: proto/zinc.proto

import type { JobInfo as _zinc_v1_JobInfo, JobInfo__Output as _zinc_v1_JobInfo__Output } from '../../zinc/v1/JobInfo.js';

export interface RestartReply {
  'job'?: (_zinc_v1_JobInfo | null);
  'checkpoint'?: (string);
  'totalMs'?: (number | string);
  'verifyMs'?: (number | string);
  'restoreMs'?: (number | string);
}

export interface RestartReply__Output {
  'job': (_zinc_v1_JobInfo__Output | null);
  'checkpoint': (string);
  'totalMs': (number);
  'verifyMs': (number);
  'restoreMs': (number);
}
