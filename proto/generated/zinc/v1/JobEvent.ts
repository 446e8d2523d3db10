// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface JobEvent {
  'atMs'?: (number | string | Long);
  /**
   * submitted, started, stopped, continued, exited, killed, checkpointed, …
   */
  'type'?: (string);
  'host'?: (string);
  'message'?: (string);
  'fields'?: ({[key: string]: string});
}

export interface JobEvent__Output {
  'atMs': (number);
  /**
   * submitted, started, stopped, continued, exited, killed, checkpointed, …
   */
  'type': (string);
  'host': (string);
  'message': (string);
  'fields': ({[key: string]: string});
}
