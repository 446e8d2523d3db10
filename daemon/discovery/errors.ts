import { ZincError } from '../common/zinc-error.js';

/** Staleness thresholds that cannot be ordered alive < stale < dead < forgotten. */
export class DiscoveryOptionsError extends ZincError {
  readonly code = 'DISCOVERY_OPTIONS_INVALID';
}

/** setSelf was given another host's record, or an older version of our own. */
export class SelfRecordError extends ZincError {
  readonly code = 'DISCOVERY_SELF_RECORD_INVALID';
}
