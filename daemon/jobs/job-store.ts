/**
 * Persistence of job records in the state directory. Every write is atomic; reading back validates
 * with zod, and a record that fails is moved aside to <state>/corrupt/ so the daemon still starts.
 */
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { StateLayout } from '../store/layout.js';
import { jobRecordSchema, type JobRecord } from './record.js';

export class JobStore {
  constructor(private readonly layout: StateLayout, private readonly log: Logger) {}

  async save(r: JobRecord, durable = true): Promise<void> {
    // 0600: the record holds the job's environment (its directory is traversable by others).
    await writeFileAtomic(this.layout.jobRecord(r.gpid), JSON.stringify(r, null, 1), 0o600, durable);
  }

  /** Loads every record; corrupt ones are moved aside and reported, never fatal. */
  async loadAll(): Promise<JobRecord[]> {
    await mkdir(this.layout.jobsDir, { recursive: true });
    const out: JobRecord[] = [];
    for (const name of await readdir(this.layout.jobsDir)) {
      if (name.startsWith('.')) continue;
      const path = this.layout.jobRecord(name);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          // A job directory without a record: a submit interrupted before its first write, or
          // files received for a migration that never committed. Leave it for its owner to decide.
          continue;
        }
        await this.quarantine(name, `unreadable: ${(err as Error).message}`);
        continue;
      }
      try {
        const record = jobRecordSchema.parse(JSON.parse(text));
        if (record.gpid !== name) throw new Error(`record is for ${record.gpid}, found in ${name}/`);
        out.push(record);
      } catch (err) {
        await this.quarantine(name, (err as Error).message.split('\n')[0] ?? 'invalid');
      }
    }
    return out;
  }

  private async quarantine(name: string, reason: string): Promise<void> {
    await mkdir(this.layout.corruptDir, { recursive: true });
    const dest = join(this.layout.corruptDir, `${name}.${Date.now()}`);
    try {
      await rename(this.layout.jobDir(name), dest);
      this.log.error({ job: name, movedTo: dest, reason }, 'corrupt job record moved aside');
    } catch (err) {
      this.log.error({ job: name, reason, err: (err as Error).message }, 'corrupt job record could not be moved aside');
    }
  }
}
