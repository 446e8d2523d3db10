// Original file: proto/zinc.proto

import type { GossipEntry as _zinc_v1_GossipEntry, GossipEntry__Output as _zinc_v1_GossipEntry__Output } from '../../zinc/v1/GossipEntry.js';

export interface GossipAck {
  /**
   * records that were new or newer
   */
  'merged'?: (number);
  /**
   * What the receiver knew better than the push said (hosts not in it, newer versions, younger
   * copies): the pull half of push-pull, which keeps record ages near log3 n rounds.
   */
  'fresher'?: (_zinc_v1_GossipEntry)[];
}

export interface GossipAck__Output {
  /**
   * records that were new or newer
   */
  'merged': (number);
  /**
   * What the receiver knew better than the push said (hosts not in it, newer versions, younger
   * copies): the pull half of push-pull, which keeps record ages near log3 n rounds.
   */
  'fresher': (_zinc_v1_GossipEntry__Output)[];
}
