// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface ListRequest {
  /**
   * include ended jobs
   */
  'all'?: (boolean);
  /**
   * list that host's jobs (forwarded); empty: this host
   */
  'host'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

export interface ListRequest__Output {
  /**
   * include ended jobs
   */
  'all': (boolean);
  /**
   * list that host's jobs (forwarded); empty: this host
   */
  'host': (string);
  'via': (_zinc_v1_Via__Output | null);
}
