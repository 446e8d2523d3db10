// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface JobSpec {
  'argv'?: (string)[];
  /**
   * "KEY=VALUE", in order
   */
  'env'?: (string)[];
  /**
   * empty: the job's own work/ directory
   */
  'cwd'?: (string);
  /**
   * empty: root
   */
  'user'?: (string);
  'name'?: (string);
  /**
   * requested memory; 0 = unspecified
   */
  'memBytes'?: (number | string | Long);
  /**
   * 0 = no periodic checkpoints
   */
  'checkpointEveryMs'?: (number | string | Long);
  /**
   * how many periodic checkpoints to keep; 0 = default
   */
  'keepCheckpoints'?: (number);
  /**
   * placement constraint (--domain), kept for later moves
   */
  'domain'?: (string);
}

export interface JobSpec__Output {
  'argv': (string)[];
  /**
   * "KEY=VALUE", in order
   */
  'env': (string)[];
  /**
   * empty: the job's own work/ directory
   */
  'cwd': (string);
  /**
   * empty: root
   */
  'user': (string);
  'name': (string);
  /**
   * requested memory; 0 = unspecified
   */
  'memBytes': (number);
  /**
   * 0 = no periodic checkpoints
   */
  'checkpointEveryMs': (number);
  /**
   * how many periodic checkpoints to keep; 0 = default
   */
  'keepCheckpoints': (number);
  /**
   * placement constraint (--domain), kept for later moves
   */
  'domain': (string);
}
