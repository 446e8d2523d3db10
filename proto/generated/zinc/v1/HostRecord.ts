// Original file: proto/zinc.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One host's state as carried by Name Dropper.
 */
export interface HostRecord {
  'host'?: (string);
  'domain'?: (string);
  /**
   * HOST:PORT of its peer listener
   */
  'address'?: (string);
  'cores'?: (number);
  /**
   * relative CPU speed (1.0 = reference)
   */
  'speed'?: (number | string);
  /**
   * smoothed run-queue load (like loadavg), not normalised
   */
  'load'?: (number | string);
  'memFreeBytes'?: (number | string | Long);
  'memTotalBytes'?: (number | string | Long);
  /**
   * running jobs
   */
  'jobs'?: (number);
  /**
   * bumped by the host itself at every refresh; newer wins
   */
  'version'?: (number | string | Long);
  /**
   * the host's own clock when it made this version
   */
  'updatedAtMs'?: (number | string | Long);
  /**
   * accepts no new jobs
   */
  'draining'?: (boolean);
  /**
   * changes when the daemon restarts
   */
  'incarnation'?: (number | string | Long);
}

/**
 * One host's state as carried by Name Dropper.
 */
export interface HostRecord__Output {
  'host': (string);
  'domain': (string);
  /**
   * HOST:PORT of its peer listener
   */
  'address': (string);
  'cores': (number);
  /**
   * relative CPU speed (1.0 = reference)
   */
  'speed': (number);
  /**
   * smoothed run-queue load (like loadavg), not normalised
   */
  'load': (number);
  'memFreeBytes': (number);
  'memTotalBytes': (number);
  /**
   * running jobs
   */
  'jobs': (number);
  /**
   * bumped by the host itself at every refresh; newer wins
   */
  'version': (number);
  /**
   * the host's own clock when it made this version
   */
  'updatedAtMs': (number);
  /**
   * accepts no new jobs
   */
  'draining': (boolean);
  /**
   * changes when the daemon restarts
   */
  'incarnation': (number);
}
