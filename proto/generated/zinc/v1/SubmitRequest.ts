// Original file: proto/zinc.proto

import type { JobSpec as _zinc_v1_JobSpec, JobSpec__Output as _zinc_v1_JobSpec__Output } from '../../zinc/v1/JobSpec.js';
import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';
import type { PlacementDecision as _zinc_v1_PlacementDecision, PlacementDecision__Output as _zinc_v1_PlacementDecision__Output } from '../../zinc/v1/PlacementDecision.js';

export interface SubmitRequest {
  'spec'?: (_zinc_v1_JobSpec | null);
  /**
   * run there (empty: this host, or the policy's choice)
   */
  'host'?: (string);
  /**
   * placement constraint: only hosts of this domain
   */
  'domain'?: (string);
  /**
   * set by the home host when it forwards; empty from the CLI
   */
  'gpid'?: (string);
  'via'?: (_zinc_v1_Via | null);
  /**
   * set when a policy chose the host
   */
  'placement'?: (_zinc_v1_PlacementDecision | null);
}

export interface SubmitRequest__Output {
  'spec': (_zinc_v1_JobSpec__Output | null);
  /**
   * run there (empty: this host, or the policy's choice)
   */
  'host': (string);
  /**
   * placement constraint: only hosts of this domain
   */
  'domain': (string);
  /**
   * set by the home host when it forwards; empty from the CLI
   */
  'gpid': (string);
  'via': (_zinc_v1_Via__Output | null);
  /**
   * set when a policy chose the host
   */
  'placement': (_zinc_v1_PlacementDecision__Output | null);
}
