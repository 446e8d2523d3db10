// Original file: proto/zinc.proto

import type { Via as _zinc_v1_Via, Via__Output as _zinc_v1_Via__Output } from '../../zinc/v1/Via.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Daemon to daemon. The source drives; the destination pulls the archive (Fetch) so that the
 * receiving side's HTTP/2 flow-control window can be sized for the link (grpc-js sizes it on the
 * client side only).
 */
export interface MigrationOffer {
  'id'?: (string);
  'gpid'?: (string);
  'fromHost'?: (string);
  'fromDomain'?: (string);
  'fromAddress'?: (string);
  /**
   * manifest.json without files: spec, CPU flags, CRIU version, paths, external files
   */
  'preview'?: (Buffer | Uint8Array | string);
  /**
   * the job's record (events, hops) as JSON
   */
  'job'?: (Buffer | Uint8Array | string);
  'estimatedBytes'?: (number | string | Long);
  'lazy'?: (boolean);
  'via'?: (_zinc_v1_Via | null);
}

/**
 * Daemon to daemon. The source drives; the destination pulls the archive (Fetch) so that the
 * receiving side's HTTP/2 flow-control window can be sized for the link (grpc-js sizes it on the
 * client side only).
 */
export interface MigrationOffer__Output {
  'id': (string);
  'gpid': (string);
  'fromHost': (string);
  'fromDomain': (string);
  'fromAddress': (string);
  /**
   * manifest.json without files: spec, CPU flags, CRIU version, paths, external files
   */
  'preview': (Buffer);
  /**
   * the job's record (events, hops) as JSON
   */
  'job': (Buffer);
  'estimatedBytes': (number);
  'lazy': (boolean);
  'via': (_zinc_v1_Via__Output | null);
}
