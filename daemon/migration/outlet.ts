/**
 * Where the destination's Fetch meets the source's archive. The destination asks before the source
 * has frozen the job, so its request waits here until the dump is ready (or failed). The job is
 * frozen from then on, so the outlet also watches the destination: one that never fetches, or
 * stops reading, must not keep it frozen; `stalled` tells the migration to roll back.
 */
import type { Manifest } from '../checkpoint/manifest.js';
import { TransferIdleError } from './errors.js';

export interface Serving {
  dir: string;
  manifest: Manifest;
  onBytes: (n: number) => void;
  /** Called after the last byte is written and before the stream ends OK (the commit). */
  beforeCommit: () => Promise<void>;
  /** Called once, when half of the archive has been written (a failpoint in tests). */
  halfway: () => Promise<void>;
}

export class Outlet {
  private resolveFn: ((s: Serving) => void) | undefined;
  private rejectFn: ((e: unknown) => void) | undefined;
  private stallFn: ((e: TransferIdleError) => void) | undefined;
  private claimTimer: NodeJS.Timeout | undefined;
  private claimed = false;
  readonly ready: Promise<Serving>;
  /** Resolves (never rejects) when the destination went silent before the commit. */
  readonly stalled: Promise<TransferIdleError>;

  constructor(
    readonly id: string,
    /** The destination host: the only peer that may fetch this archive. */
    readonly to: string,
    private readonly stallMs: number,
  ) {
    this.ready = new Promise<Serving>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.ready.catch(() => undefined);
    this.stalled = new Promise((resolve) => (this.stallFn = resolve));
  }

  open(s: Serving): void {
    this.resolveFn?.(s);
    if (this.claimed) return;
    this.claimTimer = setTimeout(() => this.stall(new TransferIdleError(this.id, this.to, this.stallMs, 'the destination never fetched the archive')), this.stallMs);
    this.claimTimer.unref();
  }

  /** The destination's Fetch has arrived. */
  claim(): void {
    this.claimed = true;
    if (this.claimTimer) clearTimeout(this.claimTimer);
  }

  fail(err: unknown): void {
    this.rejectFn?.(err);
    this.close();
  }

  stall(err: TransferIdleError): void {
    this.stallFn?.(err);
    this.close();
  }

  close(): void {
    if (this.claimTimer) clearTimeout(this.claimTimer);
  }
}
