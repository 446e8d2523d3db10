// Original file: proto/zinc.proto


export interface PolicyInfo {
  'name'?: (string);
  /**
   * "filter" or "scorer"
   */
  'kind'?: (string);
  'description'?: (string);
  'defaults'?: ({[key: string]: string});
}

export interface PolicyInfo__Output {
  'name': (string);
  /**
   * "filter" or "scorer"
   */
  'kind': (string);
  'description': (string);
  'defaults': ({[key: string]: string});
}
