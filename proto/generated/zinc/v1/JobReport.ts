// Original file: proto/zinc.proto

import type { JobInfo as _zinc_v1_JobInfo, JobInfo__Output as _zinc_v1_JobInfo__Output } from '../../zinc/v1/JobInfo.js';
import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

/**
 * Sent by the host a job runs on to the job's home host whenever the job changes state or host,
 * so the home always knows where its jobs are (and what became of them).
 */
export interface JobReport {
  /**
   * events omitted
   */
  'job'?: (_zinc_v1_JobInfo | null);
  'via'?: (_zinc_v1_Via | null);
}

/**
 * Sent by the host a job runs on to the job's home host whenever the job changes state or host,
 * so the home always knows where its jobs are (and what became of them).
 */
export interface JobReport__Output {
  /**
   * events omitted
   */
  'job': (_zinc_v1_JobInfo__Output | null);
  'via': (_zinc_v1_Via__Output | null);
}
