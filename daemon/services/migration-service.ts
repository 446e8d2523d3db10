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
import { MigrationUnknownError } from '../migration/errors.js';
import type { MigrationDestination } from '../migration/destination.js';
import type { MigrationSource } from '../migration/source.js';
import { serveArchive } from '../migration/transfer.js';
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
    const peer: MigrationPeerHandlers = {
      Offer: unaryHandler(log, 'Offer', (req: MigrationOffer__Output) => this.dest.offer(req)),
      Receive: unaryHandler(log, 'Receive', (req: ReceiveRequest__Output) => this.dest.receive(req)),
      Abort: unaryHandler(log, 'Abort', async (req: AbortRequest__Output) => {
        await this.dest.abort(req.id, req.reason);
        return {};
      }),
      Finish: unaryHandler(log, 'Finish', async (req: MigrationRef__Output) => {
        await this.dest.finish(req.id);
        return {};
      }),
      Status: unaryHandler(log, 'Status', async (req: MigrationRef__Output) => this.dest.status(req.id)),
      Fetch: (call) => this.fetch(call),
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
    // The destination asks before the job is frozen; wait for the dump.
    outlet.ready
      .then((s) => serveArchive(call, s.dir, s.manifest, s.onBytes, s.beforeCommit, s.halfway))
      .catch((err: unknown) => {
        logFailure(this.c.log, 'Fetch', err);
        failStream(call, err);
      });
  }

  private migrate(call: grpc.ServerWritableStream<MigrateRequest__Output, MigrateProgress>): void {
    const req = call.request;
    const run = async () => {
      const { c } = this;
      if (!req.to) throw new InvalidRequestError('no destination', 'Say where with --to HOST');
      if (!['', 'on', 'auto', 'off'].includes(req.lazy)) throw new InvalidRequestError(`--lazy=${req.lazy} is not on, off or auto`);
      const route = c.router.route(req.gpid);
      if (route.kind === 'remote') return this.proxy(call, route.host, req);
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

  private proxy(call: grpc.ServerWritableStream<MigrateRequest__Output, MigrateProgress>, host: string, req: MigrateRequest__Output): Promise<void> {
    const { c } = this;
    const via = c.router.forwardVia(req.via, `job ${req.gpid}`);
    const address = c.router.address(host);
    return new Promise((resolve, reject) => {
      const client = new (zincV1().Migrations)(address, c.pool.credentials(address), c.pool.channelOptions(address));
      const remote = client.migrate({ ...req, via });
      call.on('cancelled', () => remote.cancel());
      remote.on('data', (p: MigrateProgress) => call.write(p));
      remote.on('error', (err) => reject(c.router.translate(err, host, address)));
      remote.on('end', () => resolve());
    });
  }
}
