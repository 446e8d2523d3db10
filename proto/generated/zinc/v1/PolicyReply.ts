// Original file: proto/zinc.proto

import type { PolicyChain as _zinc_v1_PolicyChain, PolicyChain__Output as _zinc_v1_PolicyChain__Output } from '../../zinc/v1/PolicyChain.js';
import type { PolicyInfo as _zinc_v1_PolicyInfo, PolicyInfo__Output as _zinc_v1_PolicyInfo__Output } from '../../zinc/v1/PolicyInfo.js';

export interface PolicyReply {
  'host'?: (string);
  'chain'?: (_zinc_v1_PolicyChain | null);
  'available'?: (_zinc_v1_PolicyInfo)[];
}

export interface PolicyReply__Output {
  'host': (string);
  'chain': (_zinc_v1_PolicyChain__Output | null);
  'available': (_zinc_v1_PolicyInfo__Output)[];
}
