// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

export interface CheckpointReply {
  'gpid'?: (string);
  'host'?: (string);
  /**
   * c1, c2, …
   */
  'id'?: (string);
  /**
   * stored checkpoint (manifest.json, images/, files/)
   */
  'path'?: (string);
  'bytes'?: (number | string | Long);
  /**
   * whole command, hashing included
   */
  'totalMs'?: (number | string);
  /**
   * how long the job was frozen
   */
  'frozenMs'?: (number | string);
  /**
   * CRIU dump alone
   */
  'dumpMs'?: (number | string);
  /**
   * the -o file, if any
   */
  'archive'?: (string);
  'archiveBytes'?: (number | string | Long);
  'archiveMs'?: (number | string);
}

export interface CheckpointReply__Output {
  'gpid': (string);
  'host': (string);
  /**
   * c1, c2, …
   */
  'id': (string);
  /**
   * stored checkpoint (manifest.json, images/, files/)
   */
  'path': (string);
  'bytes': (number);
  /**
   * whole command, hashing included
   */
  'totalMs': (number);
  /**
   * how long the job was frozen
   */
  'frozenMs': (number);
  /**
   * CRIU dump alone
   */
  'dumpMs': (number);
  /**
   * the -o file, if any
   */
  'archive': (string);
  'archiveBytes': (number);
  'archiveMs': (number);
}
