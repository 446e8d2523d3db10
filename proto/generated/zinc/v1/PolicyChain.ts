// Original file: proto/zinc.proto

import type { PolicyStage as _zinc_v1_PolicyStage, PolicyStage__Output as _zinc_v1_PolicyStage__Output } from '../../zinc/v1/PolicyStage.js';
import type { Long } from '@grpc/proto-loader';

export interface PolicyChain {
  'filters'?: (_zinc_v1_PolicyStage)[];
  'scorer'?: (_zinc_v1_PolicyStage | null);
  'balancerEnabled'?: (boolean);
  'balancerParams'?: ({[key: string]: string});
  /**
   * bumped at every change
   */
  'version'?: (number | string | Long);
}

export interface PolicyChain__Output {
  'filters': (_zinc_v1_PolicyStage__Output)[];
  'scorer': (_zinc_v1_PolicyStage__Output | null);
  'balancerEnabled': (boolean);
  'balancerParams': ({[key: string]: string});
  /**
   * bumped at every change
   */
  'version': (number);
}
