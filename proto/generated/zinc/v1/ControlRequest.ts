// Original file: proto/zinc.proto

import type { ControlAction as _zinc_v1_ControlAction, ControlAction__Output as _zinc_v1_ControlAction__Output } from '../../zinc/v1/ControlAction.js';
import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface ControlRequest {
  'gpid'?: (string);
  'action'?: (_zinc_v1_ControlAction);
  /**
   * for KILL: "SIGTERM", "TERM", "15"…; empty = SIGKILL
   */
  'signal'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

export interface ControlRequest__Output {
  'gpid': (string);
  'action': (_zinc_v1_ControlAction__Output);
  /**
   * for KILL: "SIGTERM", "TERM", "15"…; empty = SIGKILL
   */
  'signal': (string);
  'via': (_zinc_v1_Via__Output | null);
}
