// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface DrainRequest {
  'host'?: (string);
  /**
   * false: undrain
   */
  'drain'?: (boolean);
  'via'?: (_zinc_v1_Via | null);
}

export interface DrainRequest__Output {
  'host': (string);
  /**
   * false: undrain
   */
  'drain': (boolean);
  'via': (_zinc_v1_Via__Output | null);
}
