/**
 * How much an incoming migration may ask of this host before it is refused or dropped. Peers are
 * other administrative domains: without these bounds, a peer that offers and never follows up
 * keeps records and temp dirs on disk until a restart, and one that opens a transfer and goes
 * silent keeps a restore supervisor and a half-written checkpoint for ever. The values are the
 * defaults; docs/security.md ("Limits on peer input") lists them for operators.
 */
export interface IncomingLimits {
  /** Incoming migrations that are accepted but not yet running here, from all hosts. */
  maxActive: number;
  /** The same, from one source host: a drain moves 2 at a time, an operator a few more. */
  maxActivePerHost: number;
  /** An accepted offer that is not followed by Receive within this is dropped (record and dir). */
  offerTtlMs: number;
  /** From Receive to the archive's first byte: the source freezes and dumps the job meanwhile, so
   * this must cover the dump of the largest job (a 64 GiB job at ~200 MB/s is ~5 min). */
  firstByteTimeoutMs: number;
  /** Longest silence between two chunks of an archive, and between its last chunk and the commit. */
  idleTimeoutMs: number;
  /** Largest offer parts: the preview manifest (no file list) and the job's record (events, hops). */
  maxPreviewBytes: number;
  maxJobRecordBytes: number;
  /** Largest archive an offer may announce. */
  maxEstimatedBytes: number;
}

export const DEFAULT_INCOMING_LIMITS: IncomingLimits = {
  maxActive: 16,
  maxActivePerHost: 4,
  offerTtlMs: 60_000,
  firstByteTimeoutMs: 10 * 60_000,
  idleTimeoutMs: 60_000,
  maxPreviewBytes: 4 * 1024 * 1024,
  maxJobRecordBytes: 4 * 1024 * 1024,
  maxEstimatedBytes: 16 * 1024 ** 4,
};

/** Sending side of an archive (Fetch): a destination that stops reading for this long is dropped,
 * and the migration rolls back (the job was frozen meanwhile: this bounds its downtime). */
export const FETCH_STALL_TIMEOUT_MS = 60_000;
