// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

export interface PolicySetRequest {
  /**
   * empty: this host
   */
  'host'?: (string);
  /**
   * every live host
   */
  'all'?: (boolean);
  /**
   * empty: keep
   */
  'scorer'?: (string);
  /**
   * empty: keep
   */
  'filters'?: (string)[];
  /**
   * replace the filter list even if `filters` is empty
   */
  'setFilters'?: (boolean);
  /**
   * for the scorer and filters, "name.key" or "key"
   */
  'params'?: ({[key: string]: string});
  /**
   * "on", "off" or empty (keep)
   */
  'balancer'?: (string);
  'balancerParams'?: ({[key: string]: string});
  'via'?: (_zinc_v1_Via | null);
}

export interface PolicySetRequest__Output {
  /**
   * empty: this host
   */
  'host': (string);
  /**
   * every live host
   */
  'all': (boolean);
  /**
   * empty: keep
   */
  'scorer': (string);
  /**
   * empty: keep
   */
  'filters': (string)[];
  /**
   * replace the filter list even if `filters` is empty
   */
  'setFilters': (boolean);
  /**
   * for the scorer and filters, "name.key" or "key"
   */
  'params': ({[key: string]: string});
  /**
   * "on", "off" or empty (keep)
   */
  'balancer': (string);
  'balancerParams': ({[key: string]: string});
  'via': (_zinc_v1_Via__Output | null);
}
