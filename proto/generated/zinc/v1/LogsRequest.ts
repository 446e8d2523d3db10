// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';
import type { Long } from '@grpc/proto-loader';

export interface LogsRequest {
  'gpid'?: (string);
  'stderr'?: (boolean);
  'follow'?: (boolean);
  /**
   * start reading here (used when a follow resumes after a migration)
   */
  'offset'?: (number | string | Long);
  'via'?: (_zinc_v1_Via | null);
}

export interface LogsRequest__Output {
  'gpid': (string);
  'stderr': (boolean);
  'follow': (boolean);
  /**
   * start reading here (used when a follow resumes after a migration)
   */
  'offset': (number);
  'via': (_zinc_v1_Via__Output | null);
}
