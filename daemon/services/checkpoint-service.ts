/** The Checkpoints service: `zinc checkpoint` and `zinc restart`. */
import type * as grpc from '@grpc/grpc-js';
import { rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { zincV1 } from '../../proto/loader.js';
import type { CheckpointReply } from '../../proto/generated/zinc/v1/CheckpointReply.js';
import type { CheckpointRequest__Output } from '../../proto/generated/zinc/v1/CheckpointRequest.js';
import type { CheckpointsHandlers } from '../../proto/generated/zinc/v1/Checkpoints.js';
import type { RestartReply } from '../../proto/generated/zinc/v1/RestartReply.js';
import type { RestartRequest__Output } from '../../proto/generated/zinc/v1/RestartRequest.js';
import { extractCheckpoint } from '../checkpoint/archive-reader.js';
import { writeArchive } from '../checkpoint/archive-writer.js';
import type { Checkpointer } from '../checkpoint/checkpointer.js';
import { JobBusyError } from '../checkpoint/errors.js';
import type { Manifest } from '../checkpoint/manifest.js';
import type { Restorer } from '../checkpoint/restorer.js';
import { unaryHandler } from '../grpc/handlers.js';
import { parseGpid } from '../jobs/gpid.js';
import { InvalidGpidError } from '../jobs/errors.js';
import { toJobInfo, type JobRecord } from '../jobs/record.js';
import { unary, type PeerIdentity } from '../peers/pool.js';
import type { ServiceContext } from './context.js';
import { InvalidRequestError } from './errors.js';
import { createArchiveOutput, openArchiveToRead } from '../checkpoint/archive-files.js';
import { ownerOf } from '../checkpoint/file-access.js';
import { checkImageOwner } from '../checkpoint/image-owner.js';
import { requireNoLiveCopy } from './single-copy.js';
import type { Actor } from '../security/authz.js';
import { PermissionDeniedError } from '../security/errors.js';

const BUSY = ['running', 'stopped', 'migrating', 'queued'];

export class CheckpointService {
  constructor(private readonly c: ServiceContext, private readonly checkpointer: Checkpointer, private readonly restorer: Restorer) {}

  addToServer(server: grpc.Server): void {
    const log = this.c.log.child({ area: 'checkpoint-service' });
    const handlers: CheckpointsHandlers = {
      Checkpoint: unaryHandler(log, 'Checkpoint', async (req: CheckpointRequest__Output, call) => this.checkpoint(req, await this.c.auth.actor(call, req.via))),
      Restart: unaryHandler(log, 'Restart', async (req: RestartRequest__Output, call) => this.restart(req, await this.c.auth.actor(call, req.via))),
    };
    server.addService(zincV1().Checkpoints.service, handlers);
  }

  private async checkpoint(req: CheckpointRequest__Output, actor: Actor): Promise<CheckpointReply> {
    const { c } = this;
    if (req.output && !isAbsolute(req.output)) throw new InvalidRequestError(`-o ${req.output} is not an absolute path`);
    const route = c.router.route(req.gpid);
    if (route.kind === 'remote') {
      const via = c.router.forwardVia(req.via, `job ${req.gpid}`, actor);
      return c.router.call(route.host, (address, expect) => unary(this.client(address, expect), 'checkpoint', { ...req, via }, undefined));
    }
    c.auth.requireOwner(actor, route.record, 'checkpoint');
    // Checked (and created, empty) before the dump: a refused -o path must not cost a checkpoint.
    const out = req.output ? await createArchiveOutput(req.output, await ownerOf(actor.user.uid, actor.user.gid)) : undefined;
    const res = await this.checkpointer.checkpoint(req.gpid, { leaveRunning: req.leaveRunning, periodic: false, reason: 'zinc checkpoint' }).catch(async (err: unknown) => {
      await out?.discard();
      throw err;
    });
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
    if (req.output && out) {
      const t0 = performance.now();
      try {
        await writeArchive(res.ref.dir, res.manifest, out.handle.createWriteStream());
        await out.publish();
      } catch (err) {
        await out.discard();
        throw new InvalidRequestError(`cannot write ${req.output}: ${(err as Error).message}`, `The checkpoint itself is stored at ${res.ref.dir}; choose another -o path`);
      }
      reply.archive = req.output;
      reply.archiveBytes = (await stat(req.output)).size;
      reply.archiveMs = performance.now() - t0;
    }
    return reply;
  }

  private async restart(req: RestartRequest__Output, actor: Actor): Promise<RestartReply> {
    const { c } = this;
    const t0 = performance.now();
    if (req.archive) return this.restartFromArchive(req.archive, t0, actor);
    const route = c.router.route(req.gpid);
    if (route.kind === 'remote') {
      const via = c.router.forwardVia(req.via, `job ${req.gpid}`, actor);
      return c.router.call(route.host, (address, expect) => unary(this.client(address, expect), 'restart', { ...req, via }, undefined));
    }
    return c.jobs.withLock(req.gpid, async () => {
      const r = c.jobs.require(req.gpid);
      c.auth.requireOwner(actor, r, 'restart');
      if (BUSY.includes(r.state)) throw new JobBusyError(r.gpid, r.state, 'restart it');
      const ref = this.checkpointer.store.newest(r);
      const m = await this.checkpointer.store.readManifest(ref.dir);
      await this.restorer.requirePreflight(m);
      const tr = performance.now();
      await this.restorer.restoreLocked(r, ref.dir, m, { type: 'restarted', message: `restarted from checkpoint ${ref.id}`, fields: { checkpoint: ref.id } }, { verify: `checkpoint ${ref.id} (${ref.dir})` });
      return this.reply(r, ref.id, t0, 0, performance.now() - tr);
    });
  }

  private async restartFromArchive(path: string, t0: number, actor: Actor): Promise<RestartReply> {
    const { c } = this;
    // A path names a file on this host: only a local caller may name one.
    if (actor.caller.kind !== 'local') throw new PermissionDeniedError(`user ${actor.user.name} of domain ${actor.domain}`, `restart ${path} on ${c.hostId}`, 'Copy the archive to the host and run zinc restart there');
    if (!isAbsolute(path)) throw new InvalidRequestError(`${path} is not an absolute path`);
    // Read as the caller could: a regular file they may read (not /dev/zero, not a FIFO).
    const archive = await openArchiveToRead(path, await ownerOf(actor.user.uid, actor.user.gid));
    let manifest: Manifest | undefined;
    const { dir } = await extractCheckpoint(archive.createReadStream({ highWaterMark: 1 << 20 }), {
      source: `archive ${path}`,
      onManifest: async (m) => {
        if (!parseGpid(m.gpid)) throw new InvalidGpidError(m.gpid);
        // The job belongs to whoever restarts it, not to the user named inside (unless root):
        // the images are then checked against this owner before anything runs.
        if (!actor.root) m.spec = { ...m.spec, user: actor.user.name, uid: actor.user.uid, gid: actor.user.gid };
        const r = c.jobs.get(m.gpid);
        if (r) c.auth.requireOwner(actor, r, 'restart a copy of');
        if (r && BUSY.includes(r.state)) throw new JobBusyError(m.gpid, r.state, 'restart it from an archive');
        if (r && r.state === 'moved') throw new JobBusyError(m.gpid, `on ${r.location}`, 'restart a second copy here');
        await requireNoLiveCopy(c, m.gpid, actor);
        await this.restorer.requirePreflight(m);
        manifest = m;
        return this.checkpointer.store.dirOf(m.gpid, this.checkpointer.store.nextId(r ?? this.fromManifest(m)));
      },
    });
    const m = manifest as Manifest;
    // The images decide whose credentials the tasks get: refuse before the job is even recorded.
    await checkImageOwner(m.gpid, join(dir, 'images'), m.spec, c.layout.filesDir(m.gpid)).catch(async (err: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw err;
    });
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
      // A restart from an archive is a new arrival: later than anything reported from the copy saved.
      epoch: m.epoch + 1,
      checkpoints: [],
    };
  }

  private reply(r: JobRecord, id: string, t0: number, verifyMs: number, restoreMs: number): RestartReply {
    return { job: toJobInfo(r, this.c.layout.filesDir(r.gpid)), checkpoint: id, totalMs: performance.now() - t0, verifyMs, restoreMs };
  }

  private client(address: string, expect: PeerIdentity | undefined) {
    return new (zincV1().Checkpoints)(address, this.c.pool.credentials(address, expect), this.c.pool.channelOptions(address, expect));
  }
}
