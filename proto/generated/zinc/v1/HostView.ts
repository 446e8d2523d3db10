// Original file: proto/zinc.proto

import type { HostRecord as _zinc_v1_HostRecord, HostRecord__Output as _zinc_v1_HostRecord__Output } from '../../zinc/v1/HostRecord.js';
import type { HostStatus as _zinc_v1_HostStatus, HostStatus__Output as _zinc_v1_HostStatus__Output } from '../../zinc/v1/HostStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface HostView {
  'record'?: (_zinc_v1_HostRecord | null);
  'status'?: (_zinc_v1_HostStatus);
  /**
   * how old this information is, as seen by the reporting host
   */
  'ageMs'?: (number | string | Long);
}

export interface HostView__Output {
  'record': (_zinc_v1_HostRecord__Output | null);
  'status': (_zinc_v1_HostStatus__Output);
  /**
   * how old this information is, as seen by the reporting host
   */
  'ageMs': (number);
}
