/**
 * Migration over gRPC: `Migrations` for the CLI (a stream of progress ending with a summary),
 * `MigrationPeer` between daemons (offer, transfer, fetch, commit, abort, finish, status).
 */
import type * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { AbortRequest__Output } from '../../proto/generated/zinc/v1/AbortRequest.js';
import type { ReceiveRequest__Output } from '../../proto/generated/zinc/v1/ReceiveRequest.js';
import type { FetchChunk } from '../../proto/generated/zinc/v1/FetchChunk.js';
import type { MigrateProgress } from '../../proto/generated/zinc/v1/MigrateProgress.js';
import type { MigrateRequest__Output } from '../../proto/generated/zinc/v1/MigrateRequest.js';
import type { MigrationOffer__Output } from '../../proto/generated/zinc/v1/MigrationOffer.js';
import type { MigrationPeerHandlers } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import type { MigrationRef__Output } from '../../proto/generated/zinc/v1/MigrationRef.js';
import type { MigrationsHandlers } from '../../proto/generated/zinc/v1/Migrations.js';
import { failStream, logFailure, unaryHandler } from '../grpc/handlers.js';
import { MigrationUnknownError, TransferIdleError } from '../migration/errors.js';
import type { MigrationDestination } from '../migration/destination.js';
import type { MigrationSource } from '../migration/source.js';
import { serveArchive } from '../migration/transfer.js';
import type { Actor } from '../security/authz.js';
import { requireTrust } from '../security/domain-trust.js';
import { describeCaller } from '../security/caller.js';
import { PermissionDeniedError } from '../security/errors.js';
import { errorMessage } from '../common/zinc-error.js';
import type { ServiceContext } from './context.js';
import { InvalidRequestError } from './errors.js';

/** How often progress is sent to the CLI at most. */
const PROGRESS_EVERY_MS = 100;

export class MigrationService {
  constructor(
    private readonly c: ServiceContext,
    private readonly source: MigrationSource,
    private readonly dest: MigrationDestination,
  ) {}

  addToServer(server: grpc.Server): void {
    const log = this.c.log.child({ area: 'migration-service' });
    const cli: MigrationsHandlers = { Migrate: (call) => this.migrate(call) };
    // The daemons' side of a migration: other daemons (and local root, for tests) only.
    const daemon = (call: Parameters<typeof this.c.auth.requireDaemon>[0]) => this.c.auth.requireDaemon(call, 'take part in a migration');
    const peer: MigrationPeerHandlers = {
      Offer: unaryHandler(log, 'Offer', async (req: MigrationOffer__Output, call) => {
        return this.dest.offer(req, daemon(call));
      }),
      Receive: unaryHandler(log, 'Receive', async (req: ReceiveRequest__Output, call) => {
        return this.dest.receive(req, daemon(call));
      }),
      Abort: unaryHandler(log, 'Abort', async (req: AbortRequest__Output, call) => {
        await this.dest.abort(req.id, req.reason, daemon(call));
        return {};
      }),
      Finish: unaryHandler(log, 'Finish', async (req: MigrationRef__Output, call) => {
        await this.dest.finish(req.id, daemon(call));
        return {};
      }),
      Status: unaryHandler(log, 'Status', async (req: MigrationRef__Output, call) => {
        daemon(call);
        return this.dest.status(req.id);
      }),
      Fetch: (call) => {
        try {
          const caller = daemon(call);
          // The archive (the job's memory) goes only to the destination the migration names.
          if (caller.kind === 'peer' && !this.source.isDestination(call.request.id, caller)) {
            throw new PermissionDeniedError(describeCaller(caller), `fetch the archive of migration ${call.request.id.slice(0, 170)}`, 'Only the destination of a migration may fetch its archive');
          }
        } catch (err) {
          log.warn({ migration: String(call.request.id).slice(0, 170), err: errorMessage(err) }, 'Fetch refused');
          failStream(call, err);
          return;
        }
        this.fetch(call);
      },
    };
    server.addService(zincV1().Migrations.service, cli);
    server.addService(zincV1().MigrationPeer.service, peer);
  }

  private fetch(call: grpc.ServerWritableStream<MigrationRef__Output, FetchChunk>): void {
    const outlet = this.source.outletFor(call.request.id);
    if (!outlet) {
      failStream(call, new MigrationUnknownError(call.request.id, this.c.hostId));
      return;
    }
    outlet.claim();
    // The destination asks before the job is frozen; wait for the dump.
    outlet.ready
      .then((s) => serveArchive(call, s.dir, s.manifest, s.onBytes, s.beforeCommit, s.halfway))
      .catch((err: unknown) => {
        logFailure(this.c.log, 'Fetch', err);
        // A destination that stopped reading: the migration rolls back without waiting for it.
        if (err instanceof TransferIdleError) {
          this.c.log.warn({ rpc: 'Fetch', code: err.code, migration: err.id, peer: err.peer, waitedMs: err.waitedMs }, 'destination stopped reading the archive; rolling back');
          outlet.stall(err);
        }
        failStream(call, err);
      });
  }

  private migrate(call: grpc.ServerWritableStream<MigrateRequest__Output, MigrateProgress>): void {
    const req = call.request;
    const run = async () => {
      const { c } = this;
      if (!req.to) throw new InvalidRequestError('no destination', 'Say where with --to HOST');
      if (!['', 'on', 'auto', 'off'].includes(req.lazy)) throw new InvalidRequestError(`--lazy=${req.lazy} is not on, off or auto`);
      const actor = await c.auth.actor(call, req.via);
      const route = c.router.route(req.gpid);
      if (route.kind === 'remote') return this.proxy(call, route.host, req, actor);
      c.auth.requireOwner(actor, route.record, 'migrate');
      const toDomain = c.router.domainOf(req.to);
      if (toDomain) requireTrust(c.config, 'send-to', toDomain);
      let last = 0;
      let lastBytes = 0;
      let lastAt = performance.now();
      let rate = 0;
      const summary = await this.source.migrate(req.gpid, {
        to: req.to,
        lazy: req.lazy === 'on' ? 'on' : req.lazy === 'auto' ? 'auto' : 'off',
        reason: req.reason,
        onProgress: (p) => {
          const now = performance.now();
          const bytes = p.bytes ?? 0;
          if (p.phase === 'transferring' && now - last < PROGRESS_EVERY_MS && bytes < (p.total ?? Infinity)) return;
          if (now > lastAt && bytes >= lastBytes) rate = ((bytes - lastBytes) / (now - lastAt)) * 1000 * 0.5 + rate * 0.5;
          last = now;
          lastAt = now;
          lastBytes = bytes;
          if (!call.cancelled) call.write({ phase: p.phase, bytes, total: p.total ?? 0, rate, message: p.message ?? '' });
        },
      });
      call.write({ phase: 'done', bytes: summary.bytes ?? 0, total: summary.bytes ?? 0, rate: 0, message: '', summary });
    };
    run().then(
      () => call.end(),
      (err: unknown) => {
        logFailure(this.c.log, 'Migrate', err);
        failStream(call, err);
      },
    );
  }

  private proxy(call: grpc.ServerWritableStream<MigrateRequest__Output, MigrateProgress>, host: string, req: MigrateRequest__Output, actor: Actor): Promise<void> {
    const { c } = this;
    const via = c.router.forwardVia(req.via, `job ${req.gpid}`, actor);
    const address = c.router.address(host);
    const expect = c.router.identity(host);
    return new Promise((resolve, reject) => {
      const client = new (zincV1().Migrations)(address, c.pool.credentials(address, expect), c.pool.channelOptions(address, expect));
      const remote = client.migrate({ ...req, via });
      call.on('cancelled', () => remote.cancel());
      remote.on('data', (p: MigrateProgress) => call.write(p));
      remote.on('error', (err) => reject(c.router.translate(err, host, address)));
      remote.on('end', () => resolve());
    });
  }
}
