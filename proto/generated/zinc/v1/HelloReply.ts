// Original file: proto/zinc.proto

import type { HostRecord as _zinc_v1_HostRecord, HostRecord__Output as _zinc_v1_HostRecord__Output } from '../../zinc/v1/HostRecord.js';

export interface HelloReply {
  'self'?: (_zinc_v1_HostRecord | null);
  /**
   * zinc version
   */
  'version'?: (string);
  /**
   * the answering zincd's own process id (which daemon answered)
   */
  'pid'?: (number);
}

export interface HelloReply__Output {
  'self': (_zinc_v1_HostRecord__Output | null);
  /**
   * zinc version
   */
  'version': (string);
  /**
   * the answering zincd's own process id (which daemon answered)
   */
  'pid': (number);
}
