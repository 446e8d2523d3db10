/*
 * The shapes Name Dropper gossips, independent of the wire format: the daemon uses HostRecord from
 * proto/zinc.proto, the simulator uses records with nothing but the three ordering fields.
 */

/** The part of a host's record that Name Dropper needs to order versions. */
export interface NdRecord {
  readonly host: string;
  /**
   * Changes (upwards) each time the daemon restarts, e.g. its start time in ms. A restarted host's
   * version counter starts again from 0, and the larger incarnation is what lets its new records
   * beat the old ones that are still circulating.
   */
  readonly incarnation: number;
  /** Bumped by the host itself whenever its payload changes. */
  readonly version: number;
}

/**
 * One record as sent: `ageMs` is how old the sender believes the information is when it sends.
 * Ages rather than timestamps are sent so that no host ever compares its clock with another's.
 */
export interface GossipEntry<R extends NdRecord> {
  readonly record: R;
  readonly ageMs: number;
}

export type HostStatus = 'alive' | 'stale' | 'dead';

export interface ViewEntry<R extends NdRecord> {
  readonly record: R;
  readonly status: HostStatus;
  readonly ageMs: number;
  readonly isSelf: boolean;
}

/** > 0 when `a` is newer than `b`, 0 for the same (incarnation, version), < 0 when older. */
export function compareRecords(a: NdRecord, b: NdRecord): number {
  if (a.incarnation !== b.incarnation) return a.incarnation > b.incarnation ? 1 : -1;
  if (a.version !== b.version) return a.version > b.version ? 1 : -1;
  return 0;
}

/** The record with its version bumped; the host calls setSelf(nextVersion(self)) when it changes. */
export function nextVersion<R extends NdRecord>(record: R): R {
  return { ...record, version: record.version + 1 };
}

/** Guards the ordering fields: a NaN version would compare as older than everything, forever. */
export function hasOrderableFields(record: NdRecord): boolean {
  return (
    typeof record.host === 'string' &&
    record.host.length > 0 &&
    Number.isFinite(record.incarnation) &&
    Number.isFinite(record.version)
  );
}
