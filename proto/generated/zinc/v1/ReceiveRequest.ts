// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';

/**
 * Sent by the source right after the offer is accepted, before it freezes the job. The
 * destination pulls the archive (Fetch) and restores the job only when the source ends that stream
 * with status OK: the end of the stream is the commit. The reply comes once the job runs there.
 */
export interface ReceiveRequest {
  'id'?: (string);
  /**
   * the job's record (events, hops) as JSON
   */
  'job'?: (Buffer | Uint8Array | string);
  /**
   * post-copy: the source's page server (HOST:PORT)
   */
  'lazyAddress'?: (string);
  'via'?: (_zinc_v1_Via | null);
}

/**
 * Sent by the source right after the offer is accepted, before it freezes the job. The
 * destination pulls the archive (Fetch) and restores the job only when the source ends that stream
 * with status OK: the end of the stream is the commit. The reply comes once the job runs there.
 */
export interface ReceiveRequest__Output {
  'id': (string);
  /**
   * the job's record (events, hops) as JSON
   */
  'job': (Buffer);
  /**
   * post-copy: the source's page server (HOST:PORT)
   */
  'lazyAddress': (string);
  'via': (_zinc_v1_Via__Output | null);
}
