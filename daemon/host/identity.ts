/**
 * This host's persistent identity (host.json): its id, domain, the GPID sequence and the
 * incarnation (bumped at every daemon start so gossip can tell a restarted daemon's fresh
 * records from its old ones).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { writeFileAtomic, writeFileAtomicSync } from '../store/atomic.js';

const identitySchema = z.object({
  hostId: z.string(),
  domain: z.string(),
  seq: z.number().int().nonnegative(),
  incarnation: z.number().int().nonnegative(),
});
type Identity = z.infer<typeof identitySchema>;

export class HostIdentity {
  private data: Identity;
  /** Serialises sequence allocation so concurrent submits never share a number. */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly path: string, data: Identity) {
    this.data = data;
  }

  static open(path: string, hostId: string, domain: string, log: Logger): HostIdentity {
    let data: Identity = { hostId, domain, seq: 0, incarnation: 0 };
    try {
      const parsed = identitySchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.hostId !== hostId) {
        log.warn({ previous: parsed.hostId, now: hostId }, 'host id changed; jobs keep their old GPIDs');
      }
      data = { ...parsed, hostId, domain };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.error({ path, err: (err as Error).message }, 'host.json unreadable; starting a new sequence above every known job');
      }
    }
    // Incarnations are wall-clock based so they grow even if host.json is lost.
    data.incarnation = Math.max(data.incarnation + 1, Date.now());
    const id = new HostIdentity(path, data);
    writeFileAtomicSync(path, JSON.stringify(data));
    return id;
  }

  get hostId(): string {
    return this.data.hostId;
  }
  get domain(): string {
    return this.data.domain;
  }
  get incarnation(): number {
    return this.data.incarnation;
  }

  /** The highest sequence number this host has issued: a GPID of ours above it was never handed out. */
  get issuedSeq(): number {
    return this.data.seq;
  }

  /** Never hand out a number at or below one already used by a job found on disk. */
  ensureSeqAbove(seq: number): void {
    // A number past 2^53 cannot be counted on (seq + 1 === seq): only a forged record has one.
    if (Number.isSafeInteger(seq) && seq > this.data.seq) this.data.seq = seq;
  }

  /** Allocates the next GPID sequence number; durable before it is returned. */
  nextSeq(): Promise<number> {
    const run = this.chain.then(async () => {
      this.data.seq += 1;
      await writeFileAtomic(this.path, JSON.stringify(this.data));
      return this.data.seq;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
