// Original file: proto/zinc.proto

import type { MigrationSummary as _zinc_v1_MigrationSummary, MigrationSummary__Output as _zinc_v1_MigrationSummary__Output } from '../../zinc/v1/MigrationSummary.js';
import type { Long } from '@grpc/proto-loader';

export interface MigrateProgress {
  /**
   * accepted, freezing, dumping, transferring, restoring, cleaning, done, rolled-back
   */
  'phase'?: (string);
  'bytes'?: (number | string | Long);
  'total'?: (number | string | Long);
  /**
   * bytes per second, recent
   */
  'rate'?: (number | string);
  'message'?: (string);
  /**
   * last message only
   */
  'summary'?: (_zinc_v1_MigrationSummary | null);
}

export interface MigrateProgress__Output {
  /**
   * accepted, freezing, dumping, transferring, restoring, cleaning, done, rolled-back
   */
  'phase': (string);
  'bytes': (number);
  'total': (number);
  /**
   * bytes per second, recent
   */
  'rate': (number);
  'message': (string);
  /**
   * last message only
   */
  'summary': (_zinc_v1_MigrationSummary__Output | null);
}
