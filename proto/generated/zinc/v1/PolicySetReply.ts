// Original file: proto/zinc.proto

import type { PolicyReply as _zinc_v1_PolicyReply, PolicyReply__Output as _zinc_v1_PolicyReply__Output } from '../../zinc/v1/PolicyReply.js';

export interface PolicySetReply {
  'hosts'?: (_zinc_v1_PolicyReply)[];
  /**
   * "host: reason" for hosts that could not be changed
   */
  'failed'?: (string)[];
}

export interface PolicySetReply__Output {
  'hosts': (_zinc_v1_PolicyReply__Output)[];
  /**
   * "host: reason" for hosts that could not be changed
   */
  'failed': (string)[];
}
