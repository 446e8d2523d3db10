// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface CheckpointRequest {
  'gpid'?: (string);
  'leaveRunning'?: (boolean);
  /**
   * also write the archive (tar) to this absolute path
   */
  'output'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

export interface CheckpointRequest__Output {
  'gpid': (string);
  'leaveRunning': (boolean);
  /**
   * also write the archive (tar) to this absolute path
   */
  'output': (string);
  'via': (_zinc_v1_Via__Output | null);
}
