/**
 * Failpoints for fault-injection tests (in the manner of etcd's gofail): with `zincd --failpoints
 * DIR`, reaching point NAME while the file DIR/NAME exists pauses the daemon there — until the file
 * is removed, or for the number of milliseconds it contains — after writing DIR/NAME.hit. A test
 * can then kill a daemon or cut a link at exactly that phase of a protocol. Without the flag every
 * failpoint is a no-op.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.js';

export const FAILPOINTS = [
  'migrate.accepted', // source: the destination accepted; nothing frozen yet
  'migrate.frozen', // source: job frozen, dump not started
  'migrate.serving', // source, post-copy: CRIU dumped and seizes the job, serving pages; nothing sent
  'transfer.half', // source: half of the archive sent
  'receive.restored', // destination: the restored job runs; not yet recorded
  'receive.before-ack', // destination: recorded as running; not yet answered
] as const;
export type FailpointName = (typeof FAILPOINTS)[number];

export class Failpoints {
  constructor(private readonly dir: string | undefined, private readonly log?: Logger) {}

  async hit(name: FailpointName): Promise<void> {
    if (!this.dir) return;
    const file = join(this.dir, name);
    if (!existsSync(file)) return;
    const limit = Number(readFileSync(file, 'utf8').trim()) || 60_000;
    this.log?.warn({ failpoint: name, maxMs: limit }, 'failpoint reached: pausing');
    writeFileSync(`${file}.hit`, String(Date.now()));
    const deadline = Date.now() + limit;
    while (existsSync(file) && Date.now() < deadline) await sleep(20);
    this.log?.warn({ failpoint: name }, 'failpoint released');
  }
}

export const noFailpoints = new Failpoints(undefined);
