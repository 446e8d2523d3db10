// Original file: proto/zinc.proto

import type { HostView as _zinc_v1_HostView, HostView__Output as _zinc_v1_HostView__Output } from '../../zinc/v1/HostView.js';

export interface HostsReply {
  'self'?: (string);
  'hosts'?: (_zinc_v1_HostView)[];
}

export interface HostsReply__Output {
  'self': (string);
  'hosts': (_zinc_v1_HostView__Output)[];
}
