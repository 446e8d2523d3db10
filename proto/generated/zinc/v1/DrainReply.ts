// Original file: proto/zinc.proto


export interface DrainReply {
  'host'?: (string);
  'draining'?: (boolean);
  /**
   * GPIDs being moved off the host
   */
  'moving'?: (string)[];
  /**
   * "gpid: reason" for jobs that could not be moved (yet)
   */
  'stuck'?: (string)[];
}

export interface DrainReply__Output {
  'host': (string);
  'draining': (boolean);
  /**
   * GPIDs being moved off the host
   */
  'moving': (string)[];
  /**
   * "gpid: reason" for jobs that could not be moved (yet)
   */
  'stuck': (string)[];
}
