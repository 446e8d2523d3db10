/**
 * A watchdog for a migration stream: it fires once when nothing has happened for a while. gRPC
 * keepalive notices a dead connection, not a live peer that just stops sending (or reading); this
 * notices that. The first wait may be longer than the rest (the source dumps before the first byte).
 */
export class IdleWatch {
  private timer: NodeJS.Timeout | undefined;
  private seen = false;
  private since = Date.now();
  private fired = false;

  constructor(
    firstMs: number,
    private readonly idleMs: number,
    private readonly onIdle: (waitedMs: number, beforeFirst: boolean) => void,
  ) {
    this.arm(firstMs);
  }

  /** Something arrived (or was sent): start waiting again. */
  touch(): void {
    if (this.fired || this.timer === undefined) return;
    this.seen = true;
    this.since = Date.now();
    this.arm(this.idleMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fired = true;
      this.onIdle(Date.now() - this.since, !this.seen);
    }, ms);
    this.timer.unref();
  }
}
