// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface LogChunk {
  'data'?: (Buffer | Uint8Array | string);
  /**
   * offset of data[0] in the file
   */
  'offset'?: (number | string | Long);
}

export interface LogChunk__Output {
  'data': (Buffer);
  /**
   * offset of data[0] in the file
   */
  'offset': (number);
}
