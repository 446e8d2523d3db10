/** The Checkpoints service: `zinc checkpoint` and `zinc restart`. */
import type * as grpc from '@grpc/grpc-js';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { zincV1 } from '../../proto/loader.js';
import type { CheckpointReply } from '../../proto/generated/zinc/v1/CheckpointReply.js';
import type { CheckpointRequest__Output } from '../../proto/generated/zinc/v1/CheckpointRequest.js';
import type { CheckpointsHandlers } from '../../proto/generated/zinc/v1/Checkpoints.js';
import type { RestartReply } from '../../proto/generated/zinc/v1/RestartReply.js';
import type { RestartRequest__Output } from '../../proto/generated/zinc/v1/RestartRequest.js';
import { extractCheckpoint } from '../checkpoint/archive-reader.js';
import { writeArchive } from '../checkpoint/archive-writer.js';
import type { Checkpointer } from '../checkpoint/checkpointer.js';
import { CheckpointNotFoundError, JobBusyError } from '../checkpoint/errors.js';
import type { Manifest } from '../checkpoint/manifest.js';
import type { Restorer } from '../checkpoint/restorer.js';
import { unaryHandler } from '../grpc/handlers.js';
import { parseGpid } from '../jobs/gpid.js';
import { InvalidGpidError } from '../jobs/errors.js';
import { toJobInfo, type JobRecord } from '../jobs/record.js';
import { unary } from '../peers/pool.js';
import type { ServiceContext } from './context.js';
import { InvalidRequestError } from './errors.js';

const BUSY = ['running', 'stopped', 'migrating', 'queued'];

export class CheckpointService {
  constructor(private readonly c: ServiceContext, private readonly checkpointer: Checkpointer, private readonly restorer: Restorer) {}

  addToServer(server: grpc.Server): void {
    const log = this.c.log.child({ area: 'checkpoint-service' });
    const handlers: CheckpointsHandlers = {
      Checkpoint: unaryHandler(log, 'Checkpoint', (req: CheckpointRequest__Output) => this.checkpoint(req)),
      Restart: unaryHandler(log, 'Restart', (req: RestartRequest__Output) => this.restart(req)),
    };
    server.addService(zincV1().Checkpoints.service, handlers);
  }

  private async checkpoint(req: CheckpointRequest__Output): Promise<CheckpointReply> {
    const { c } = this;
    if (req.output && !isAbsolute(req.output)) throw new InvalidRequestError(`-o ${req.output} is not an absolute path`);
    const route = c.router.route(req.gpid);
    if (route.kind === 'remote') {
      const via = c.router.forwardVia(req.via, `job ${req.gpid}`);
      return c.router.call(route.host, (address) => unary(this.client(address), 'checkpoint', { ...req, via }, undefined));
    }
    const res = await this.checkpointer.checkpoint(req.gpid, { leaveRunning: req.leaveRunning, periodic: false, reason: 'zinc checkpoint' });
    const reply: CheckpointReply = {
      gpid: req.gpid,
      host: c.hostId,
      id: res.ref.id,
      path: res.ref.dir,
      bytes: res.ref.bytes,
      totalMs: res.totalMs,
      frozenMs: res.frozenMs,
      dumpMs: res.dumpMs,
    };
    if (req.output) {
      const t0 = performance.now();
      const tmp = `${req.output}.partial-${process.pid}`;
      try {
        await writeArchive(res.ref.dir, res.manifest, createWriteStream(tmp, { flags: 'wx' }));
        await rename(tmp, req.output);
      } catch (err) {
        await rm(tmp, { force: true });
        throw new InvalidRequestError(`cannot write ${req.output}: ${(err as Error).message}`, `The checkpoint itself is stored at ${res.ref.dir}; choose another -o path`);
      }
      reply.archive = req.output;
      reply.archiveBytes = (await stat(req.output)).size;
      reply.archiveMs = performance.now() - t0;
    }
    return reply;
  }

  private async restart(req: RestartRequest__Output): Promise<RestartReply> {
    const { c } = this;
    const t0 = performance.now();
    if (req.archive) return this.restartFromArchive(req.archive, t0);
    const route = c.router.route(req.gpid);
    if (route.kind === 'remote') {
      const via = c.router.forwardVia(req.via, `job ${req.gpid}`);
      return c.router.call(route.host, (address) => unary(this.client(address), 'restart', { ...req, via }, undefined));
    }
    return c.jobs.withLock(req.gpid, async () => {
      const r = c.jobs.require(req.gpid);
      if (BUSY.includes(r.state)) throw new JobBusyError(r.gpid, r.state, 'restart it');
      const ref = this.checkpointer.store.newest(r);
      const m = await this.checkpointer.store.readManifest(ref.dir);
      await this.restorer.requirePreflight(m);
      const tr = performance.now();
      await this.restorer.restoreLocked(r, ref.dir, m, { type: 'restarted', message: `restarted from checkpoint ${ref.id}`, fields: { checkpoint: ref.id } }, { verify: `checkpoint ${ref.id} (${ref.dir})` });
      return this.reply(r, ref.id, t0, 0, performance.now() - tr);
    });
  }

  private async restartFromArchive(path: string, t0: number): Promise<RestartReply> {
    const { c } = this;
    if (!isAbsolute(path)) throw new InvalidRequestError(`${path} is not an absolute path`);
    try {
      await stat(path);
    } catch {
      throw new CheckpointNotFoundError(`archive ${path} does not exist`, 'Give the path of a file written by `zinc checkpoint -o`');
    }
    let manifest: Manifest | undefined;
    const { dir } = await extractCheckpoint(createReadStream(path, { highWaterMark: 1 << 20 }), {
      source: `archive ${path}`,
      onManifest: async (m) => {
        if (!parseGpid(m.gpid)) throw new InvalidGpidError(m.gpid);
        const r = c.jobs.get(m.gpid);
        if (r && BUSY.includes(r.state)) throw new JobBusyError(m.gpid, r.state, 'restart it from an archive');
        if (r && r.state === 'moved') throw new JobBusyError(m.gpid, `on ${r.location}`, 'restart a second copy here');
        await this.restorer.requirePreflight(m);
        manifest = m;
        return this.checkpointer.store.dirOf(m.gpid, this.checkpointer.store.nextId(r ?? this.fromManifest(m)));
      },
    });
    const m = manifest as Manifest;
    const tr = performance.now();
    return c.jobs.withLock(m.gpid, async () => {
      let r = c.jobs.get(m.gpid);
      if (!r) {
        r = this.fromManifest(m);
        c.jobs.event(r, 'imported', `imported from archive ${path}`);
        await c.jobs.put(r);
      }
      const id = dir.slice(dir.lastIndexOf('/') + 1);
      r.checkpoints.push({ id, dir, at: m.createdAt, bytes: m.totalBytes, periodic: false });
      await this.restorer.restoreLocked(r, dir, m, { type: 'restarted', message: `restarted from archive ${path} (checkpoint ${m.id} made on ${m.sourceHost})`, fields: { archive: path } });
      return this.reply(r, id, t0, 0, performance.now() - tr);
    });
  }

  private fromManifest(m: Manifest): JobRecord {
    return {
      format: 1,
      gpid: m.gpid,
      name: m.name,
      home: m.home,
      host: this.c.hostId,
      location: this.c.hostId,
      state: 'checkpointed',
      spec: m.spec,
      cwd: m.cwd,
      submittedAt: m.submittedAt,
      startedAt: m.startedAt,
      events: [],
      hops: m.hops.at(-1) === this.c.hostId ? m.hops : [...m.hops, this.c.hostId],
      migrations: m.migrations,
      checkpoints: [],
    };
  }

  private reply(r: JobRecord, id: string, t0: number, verifyMs: number, restoreMs: number): RestartReply {
    return { job: toJobInfo(r, this.c.layout.filesDir(r.gpid)), checkpoint: id, totalMs: performance.now() - t0, verifyMs, restoreMs };
  }

  private client(address: string) {
    return new (zincV1().Checkpoints)(address, this.c.pool.credentials(address), this.c.pool.channelOptions(address));
  }
}
