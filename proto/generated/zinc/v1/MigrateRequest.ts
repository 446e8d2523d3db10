// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface MigrateRequest {
  'gpid'?: (string);
  /**
   * destination host id
   */
  'to'?: (string);
  /**
   * "" (pre-copy off: plain stop-and-copy), "on" (post-copy), "auto"
   */
  'lazy'?: (string);
  /**
   * recorded in the job's events (e.g. "balancer: …")
   */
  'reason'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

export interface MigrateRequest__Output {
  'gpid': (string);
  /**
   * destination host id
   */
  'to': (string);
  /**
   * "" (pre-copy off: plain stop-and-copy), "on" (post-copy), "auto"
   */
  'lazy': (string);
  /**
   * recorded in the job's events (e.g. "balancer: …")
   */
  'reason': (string);
  'via': (_zinc_v1_Via__Output | null);
}
