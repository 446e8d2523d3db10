// Original file: proto/zinc.proto

import type { PlacementCandidate as _zinc_v1_PlacementCandidate, PlacementCandidate__Output as _zinc_v1_PlacementCandidate__Output } from '../../zinc/v1/PlacementCandidate.js';
import type { Long } from '@grpc/proto-loader';

export interface PlacementDecision {
  /**
   * the chain, e.g. "mem-fit,not-draining > zinctask"
   */
  'policy'?: (string);
  'chosen'?: (string);
  'atMs'?: (number | string | Long);
  /**
   * the host that decided (the entry host)
   */
  'decidedBy'?: (string);
  'candidates'?: (_zinc_v1_PlacementCandidate)[];
  'decideMs'?: (number | string);
}

export interface PlacementDecision__Output {
  /**
   * the chain, e.g. "mem-fit,not-draining > zinctask"
   */
  'policy': (string);
  'chosen': (string);
  'atMs': (number);
  /**
   * the host that decided (the entry host)
   */
  'decidedBy': (string);
  'candidates': (_zinc_v1_PlacementCandidate__Output)[];
  'decideMs': (number);
}
