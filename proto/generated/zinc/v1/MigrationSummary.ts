// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface MigrationSummary {
  'id'?: (string);
  'gpid'?: (string);
  'from'?: (string);
  'to'?: (string);
  /**
   * "migrated", "rolled back", "failed"
   */
  'outcome'?: (string);
  /**
   * why it rolled back / failed
   */
  'reason'?: (string);
  'lazy'?: (boolean);
  /**
   * bytes transferred
   */
  'bytes'?: (number | string | Long);
  'freezeMs'?: (number | string);
  'dumpMs'?: (number | string);
  'transferMs'?: (number | string);
  'restoreMs'?: (number | string);
  /**
   * from freeze to running on the destination
   */
  'downtimeMs'?: (number | string);
  'totalMs'?: (number | string);
  /**
   * lazy: until the last page arrived
   */
  'postcopyMs'?: (number | string);
}

export interface MigrationSummary__Output {
  'id': (string);
  'gpid': (string);
  'from': (string);
  'to': (string);
  /**
   * "migrated", "rolled back", "failed"
   */
  'outcome': (string);
  /**
   * why it rolled back / failed
   */
  'reason': (string);
  'lazy': (boolean);
  /**
   * bytes transferred
   */
  'bytes': (number);
  'freezeMs': (number);
  'dumpMs': (number);
  'transferMs': (number);
  'restoreMs': (number);
  /**
   * from freeze to running on the destination
   */
  'downtimeMs': (number);
  'totalMs': (number);
  /**
   * lazy: until the last page arrived
   */
  'postcopyMs': (number);
}
