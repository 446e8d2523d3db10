/** The Gossip service: the receiving end of Name Dropper pushes. */
import type * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { GossipHandlers } from '../../proto/generated/zinc/v1/Gossip.js';
import type { GossipMessage__Output } from '../../proto/generated/zinc/v1/GossipMessage.js';
import type { Discovery } from '../discovery/discovery.js';
import { unaryHandler } from '../grpc/handlers.js';
import type { Logger } from '../log.js';
import type { Authorizer } from '../security/authz.js';

export class GossipService {
  constructor(private readonly discovery: Discovery, private readonly log: Logger, private readonly auth: Authorizer) {}

  addToServer(server: grpc.Server): void {
    const handlers: GossipHandlers = {
      Push: unaryHandler(this.log, 'Gossip.Push', async (msg: GossipMessage__Output, call) => {
        // The pusher's identity is its verified certificate's (Callers refuses unverified peers);
        // a local user is not a daemon and may not inject records.
        const caller = this.auth.requireDaemon(call, 'push gossip');
        return this.discovery.receive(msg, caller.kind === 'peer' ? { host: caller.host, domain: caller.domain } : undefined);
      }),
    };
    server.addService(zincV1().Gossip.service, handlers);
  }
}
