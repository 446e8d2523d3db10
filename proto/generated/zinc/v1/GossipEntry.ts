// Original file: proto/zinc.proto

import type { HostRecord as _zinc_v1_HostRecord, HostRecord__Output as _zinc_v1_HostRecord__Output } from '../../zinc/v1/HostRecord.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Name Dropper: a host sends everything it knows to one neighbour per round.
 */
export interface GossipEntry {
  'record'?: (_zinc_v1_HostRecord | null);
  /**
   * how old the sender's copy is, by the sender's own clock
   */
  'ageMs'?: (number | string | Long);
}

/**
 * Name Dropper: a host sends everything it knows to one neighbour per round.
 */
export interface GossipEntry__Output {
  'record': (_zinc_v1_HostRecord__Output | null);
  /**
   * how old the sender's copy is, by the sender's own clock
   */
  'ageMs': (number);
}
