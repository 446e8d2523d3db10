// Original file: proto/zinc.proto

import type { GossipEntry as _zinc_v1_GossipEntry, GossipEntry__Output as _zinc_v1_GossipEntry__Output } from '../../zinc/v1/GossipEntry.js';

export interface GossipMessage {
  'fromHost'?: (string);
  'entries'?: (_zinc_v1_GossipEntry)[];
}

export interface GossipMessage__Output {
  'fromHost': (string);
  'entries': (_zinc_v1_GossipEntry__Output)[];
}
