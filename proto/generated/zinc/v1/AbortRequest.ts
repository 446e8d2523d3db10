// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface AbortRequest {
  'id'?: (string);
  'reason'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

export interface AbortRequest__Output {
  'id': (string);
  'reason': (string);
  'via': (_zinc_v1_Via__Output | null);
}
