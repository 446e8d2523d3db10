/**
 * What each side of a migration has persisted: migrations/<id>/source.json on the source,
 * migrations/<id>/dest.json on the destination. Written atomically at every phase change, so a
 * daemon that restarts knows exactly how far it got and can finish or roll back.
 */
import { statfsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic.js';
import type { StateLayout } from '../store/layout.js';
import { DEST_PHASES, SOURCE_PHASES } from './phases.js';

export const sourceRecordSchema = z.object({
  role: z.literal('source'),
  id: z.string(),
  gpid: z.string(),
  to: z.string(),
  toAddress: z.string(),
  /** The destination's domain as gossip said at the start; every call to it is bound to it. */
  toDomain: z.string().optional(),
  lazy: z.boolean(),
  phase: z.enum(SOURCE_PHASES),
  priorState: z.enum(['running', 'stopped']),
  reason: z.string().default(''),
  startedAt: z.number(),
  ckptDir: z.string(),
  timings: z.record(z.string(), z.number()).default({}),
  bytes: z.number().default(0),
  /**
   * Written with "dumping" (before the freeze): from here on this source may end the archive
   * stream (the commit) without writing again, so after a crash the destination must be asked.
   * It keeps the commit's fsync out of the job's downtime.
   */
  commitIntent: z.boolean().default(false),
});
export type SourceRecord = z.infer<typeof sourceRecordSchema>;

export const destRecordSchema = z.object({
  role: z.literal('destination'),
  id: z.string(),
  gpid: z.string(),
  from: z.string(),
  fromAddress: z.string(),
  fromDomain: z.string(),
  lazy: z.boolean(),
  phase: z.enum(DEST_PHASES),
  startedAt: z.number(),
  ckptDir: z.string(),
  /** A forwarding record this host had for the job (it passed through before): put back on abort. */
  previousStub: z.string().optional(),
  /** The job's record as the source sent it, kept so a restart in "received" can still restore. */
  job: z.string().optional(),
  lazyAddress: z.string().optional(),
  detail: z.string().default(''),
});
export type DestRecord = z.infer<typeof destRecordSchema>;

export type MigrationRecord = SourceRecord | DestRecord;

export class MigrationStore {
  constructor(private readonly layout: StateLayout) {}

  dir(id: string): string {
    return this.layout.migrationDir(id);
  }

  /**
   * Where a migration's images go. Post-copy images hold no memory (a few hundred KiB of process
   * metadata), and writing them to tmpfs instead of disk takes milliseconds off the downtime, so
   * they go to /run/zinc when /run is a tmpfs (as on systemd hosts). Everything else goes to the
   * state directory: full images can be large and must not live in RAM.
   */
  imagesDir(id: string, lazy: boolean, hostId: string): string {
    if (lazy && isTmpfs('/run')) return join('/run', 'zinc', hostId, 'migrations', id);
    return join(this.dir(id), 'ckpt');
  }

  private file(r: { id: string; role: string }): string {
    return join(this.dir(r.id), r.role === 'source' ? 'source.json' : 'dest.json');
  }

  async save(r: MigrationRecord): Promise<void> {
    await mkdir(this.dir(r.id), { recursive: true });
    await writeFileAtomic(this.file(r), JSON.stringify(r));
  }

  async remove(r: MigrationRecord): Promise<void> {
    await rm(r.ckptDir, { recursive: true, force: true });
    await rm(this.dir(r.id), { recursive: true, force: true });
  }

  /** Every record on disk; unreadable ones are reported to `bad` and skipped. */
  async all(bad: (id: string, why: string) => void): Promise<MigrationRecord[]> {
    const out: MigrationRecord[] = [];
    let ids: string[] = [];
    try {
      ids = await readdir(this.layout.migrationsDir);
    } catch {
      return out;
    }
    for (const id of ids) {
      for (const [name, schema] of [['source.json', sourceRecordSchema], ['dest.json', destRecordSchema]] as const) {
        let text: string;
        try {
          text = await readFile(join(this.dir(id), name), 'utf8');
        } catch {
          continue;
        }
        const parsed = schema.safeParse(JSON.parse(text));
        if (parsed.success) out.push(parsed.data);
        else bad(id, parsed.error.issues[0]?.message ?? 'invalid');
      }
    }
    return out;
  }
}

const TMPFS_MAGIC = 0x01021994;

function isTmpfs(path: string): boolean {
  try {
    return statfsSync(path).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
}
