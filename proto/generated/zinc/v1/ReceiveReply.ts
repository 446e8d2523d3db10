// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface ReceiveReply {
  'id'?: (string);
  'bytes'?: (number | string | Long);
  /**
   * first byte to last verified byte
   */
  'transferMs'?: (number | string);
  'restoreMs'?: (number | string);
  'pid'?: (number);
}

export interface ReceiveReply__Output {
  'id': (string);
  'bytes': (number);
  /**
   * first byte to last verified byte
   */
  'transferMs': (number);
  'restoreMs': (number);
  'pid': (number);
}
