/** The Gossip service: the receiving end of Name Dropper pushes. */
import type * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { GossipHandlers } from '../../proto/generated/zinc/v1/Gossip.js';
import type { GossipMessage__Output } from '../../proto/generated/zinc/v1/GossipMessage.js';
import type { Discovery } from '../discovery/discovery.js';
import { unaryHandler } from '../grpc/handlers.js';
import type { Logger } from '../log.js';

export class GossipService {
  constructor(private readonly discovery: Discovery, private readonly log: Logger) {}

  addToServer(server: grpc.Server): void {
    const handlers: GossipHandlers = {
      Push: unaryHandler(this.log, 'Gossip.Push', async (msg: GossipMessage__Output) => this.discovery.receive(msg)),
    };
    server.addService(zincV1().Gossip.service, handlers);
  }
}
