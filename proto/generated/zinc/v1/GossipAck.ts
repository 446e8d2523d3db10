// Original file: proto/zinc.proto


export interface GossipAck {
  /**
   * records that were new or newer
   */
  'merged'?: (number);
}

export interface GossipAck__Output {
  /**
   * records that were new or newer
   */
  'merged': (number);
}
