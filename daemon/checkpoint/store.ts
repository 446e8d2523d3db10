/**
 * Stored checkpoints of a job: jobs/<gpid>/checkpoints/<id>/ with the archive's layout
 * (manifest.json, images/, files/), unpacked so a restart needs no extraction. Ids are c1, c2, …
 * in creation order. A dump in progress lives in <id>.partial and is renamed when complete; a
 * failed one is kept as failed-<id> for inspection (failures never delete anything).
 */
import { readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import type { StateLayout } from '../store/layout.js';
import type { CheckpointRef, JobRecord } from '../jobs/record.js';
import { parseManifest } from './archive-reader.js';
import { CheckpointNotFoundError } from './errors.js';
import type { Manifest } from './manifest.js';

export const DEFAULT_KEEP = 2;

export class CheckpointStore {
  constructor(private readonly layout: StateLayout) {}

  dirOf(gpid: string, id: string): string {
    return join(this.layout.checkpointsDir(gpid), id);
  }

  /** Next id, above every id in the record and on disk (including failed and partial ones). */
  nextId(r: JobRecord): string {
    let max = 0;
    const bump = (name: string) => {
      const m = /(?:^|-)c(\d+)(?:\.partial)?$/.exec(name);
      if (m) max = Math.max(max, Number(m[1]));
    };
    for (const c of r.checkpoints) bump(c.id);
    try {
      for (const name of readdirSync(this.layout.checkpointsDir(r.gpid))) bump(name);
    } catch {
      // no checkpoints yet
    }
    return `c${max + 1}`;
  }

  newest(r: JobRecord): CheckpointRef {
    const c = r.checkpoints.at(-1);
    if (!c) throw new CheckpointNotFoundError(`job ${r.gpid} has none`, `Make one with \`zinc checkpoint ${r.gpid}\` (or submit with --checkpoint-every)`);
    return c;
  }

  async readManifest(dir: string): Promise<Manifest> {
    let text: string;
    try {
      text = await readFile(join(dir, 'manifest.json'), 'utf8');
    } catch {
      throw new CheckpointNotFoundError(`${dir} has no manifest.json`);
    }
    return parseManifest(text, dir);
  }

  async writeManifest(dir: string, m: Manifest, durable = true): Promise<void> {
    // 0600: the manifest holds the job's environment.
    await writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(m), 0o600, durable);
  }

  /** Drop periodic checkpoints beyond the newest `keep`; explicit ones are the user's to remove. */
  async prune(r: JobRecord, keep: number): Promise<CheckpointRef[]> {
    const periodic = r.checkpoints.filter((c) => c.periodic);
    const drop = periodic.slice(0, Math.max(0, periodic.length - keep));
    for (const c of drop) {
      await rm(c.dir, { recursive: true, force: true });
      r.checkpoints = r.checkpoints.filter((x) => x.id !== c.id);
    }
    return drop;
  }
}
