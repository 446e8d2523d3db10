// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface RestartRequest {
  /**
   * restart from the job's newest checkpoint …
   */
  'gpid'?: (string);
  /**
   * … or from this archive file (absolute path)
   */
  'archive'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

export interface RestartRequest__Output {
  /**
   * restart from the job's newest checkpoint …
   */
  'gpid': (string);
  /**
   * … or from this archive file (absolute path)
   */
  'archive': (string);
  'via': (_zinc_v1_Via__Output | null);
}
