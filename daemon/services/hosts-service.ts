/** The Hosts service: identity (Hello), the gossiped view of the grid, and doctor. */
import type * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { DoctorReport } from '../../proto/generated/zinc/v1/DoctorReport.js';
import type { HelloReply } from '../../proto/generated/zinc/v1/HelloReply.js';
import type { HostsHandlers } from '../../proto/generated/zinc/v1/Hosts.js';
import type { HostsReply } from '../../proto/generated/zinc/v1/HostsReply.js';
import type { HostsRequest__Output } from '../../proto/generated/zinc/v1/HostsRequest.js';
import type { HostStatus } from '../../proto/generated/zinc/v1/HostStatus.js';
import { toWire } from '../discovery/host-state.js';
import { PEER_CALL_TIMEOUT_MS } from '../grpc/constants.js';
import { unaryHandler } from '../grpc/handlers.js';
import { unary } from '../peers/pool.js';
import type { ServiceContext } from './context.js';
import { ZINC_VERSION } from '../common/version.js';
import type { DoctorCheck } from '../../proto/generated/zinc/v1/DoctorCheck.js';

const STATUS: Record<string, HostStatus> = {
  alive: 'HOST_STATUS_ALIVE',
  stale: 'HOST_STATUS_STALE',
  dead: 'HOST_STATUS_DEAD',
};


export class HostsService {
  constructor(private readonly c: ServiceContext, private readonly doctor: () => Promise<DoctorCheck[]>) {}

  addToServer(server: grpc.Server): void {
    const log = this.c.log.child({ area: 'hosts-service' });
    const handlers: HostsHandlers = {
      Hello: unaryHandler(log, 'Hello', async (): Promise<HelloReply> => ({ self: toWire(this.c.discovery.self()), version: ZINC_VERSION, pid: process.pid })),
      List: unaryHandler(log, 'List', (req: HostsRequest__Output) => this.list(req)),
      Doctor: unaryHandler(log, 'Doctor', (req: HostsRequest__Output) => this.runDoctor(req)),
    };
    server.addService(zincV1().Hosts.service, handlers);
  }

  private async list(req: HostsRequest__Output): Promise<HostsReply> {
    const { c } = this;
    if (req.host && req.host !== c.hostId) {
      const via = c.router.forwardVia(req.via, `host ${req.host}`);
      return c.router.call(req.host, (address, expect) => {
        const client = c.pool.hosts(address, expect);
        return unary(client, 'list', { host: req.host, via }, PEER_CALL_TIMEOUT_MS);
      });
    }
    const hosts = c.discovery.views().map((v) => ({
      record: toWire(v.record),
      status: STATUS[v.status] ?? 'HOST_STATUS_UNSPECIFIED',
      ageMs: Math.round(v.ageMs),
    }));
    hosts.sort((a, b) => (a.record.host ?? '').localeCompare(b.record.host ?? ''));
    return { self: c.hostId, hosts };
  }

  private async runDoctor(req: HostsRequest__Output): Promise<DoctorReport> {
    const { c } = this;
    if (req.host && req.host !== c.hostId) {
      const via = c.router.forwardVia(req.via, `host ${req.host}`);
      return c.router.call(req.host, (address, expect) => {
        const client = c.pool.hosts(address, expect);
        return unary(client, 'doctor', { host: req.host, via }, 60_000);
      });
    }
    return { host: c.hostId, checks: await this.doctor() };
  }
}
