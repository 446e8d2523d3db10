/**
 * The Policy service: `zinc policy show|set` and `zinc drain|undrain`. A request for another host
 * is forwarded there; `set --all` is applied here and fanned out to every live host, and the
 * hosts that could not be changed are listed rather than failing the whole command.
 *
 * It knows the daemon only through PolicyHost (below) and ServiceContext.
 */
import type * as grpc from '@grpc/grpc-js';
import { zincV1 } from '../../proto/loader.js';
import type { DrainReply } from '../../proto/generated/zinc/v1/DrainReply.js';
import type { DrainRequest__Output } from '../../proto/generated/zinc/v1/DrainRequest.js';
import type { PolicyClient, PolicyHandlers } from '../../proto/generated/zinc/v1/Policy.js';
import type { PolicyReply } from '../../proto/generated/zinc/v1/PolicyReply.js';
import type { PolicySetReply } from '../../proto/generated/zinc/v1/PolicySetReply.js';
import type { PolicySetRequest__Output } from '../../proto/generated/zinc/v1/PolicySetRequest.js';
import type { PolicyShowRequest__Output } from '../../proto/generated/zinc/v1/PolicyShowRequest.js';
import { errorMessage, ZincError } from '../common/zinc-error.js';
import { PEER_CALL_TIMEOUT_MS } from '../grpc/constants.js';
import { unaryHandler } from '../grpc/handlers.js';
import { unary, type PeerIdentity } from '../peers/pool.js';
import { applyChange, chainToWire, type ChainChange, type ChainSpec } from '../placement/chain.js';
import type { PlacementEngine } from '../placement/engine.js';
import type { Actor } from '../security/authz.js';
import type { ServiceContext } from './context.js';
import { InvalidRequestError } from './errors.js';

/** What the daemon provides to the Policy service. */
export interface PolicyHost {
  /** The engine whose chain Show reports and Set replaces (its registry lists what is available). */
  readonly engine: PlacementEngine;
  /** Make `chain` active (engine.setChain, which validates) and persist it (<state>/policy.json). */
  setChain(chain: ChainSpec): Promise<void>;
  /** Start (true) or stop (false) draining this host: gossip `draining`, then report progress. */
  drain(on: boolean): Promise<DrainReply>;
}

/** Peers contacted at once by `set --all`. */
const FAN_OUT = 16;

export class PolicyService {
  private readonly clients = new Map<string, PolicyClient>();
  /** Set requests are applied one at a time, so two of them cannot both build on version N. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly c: ServiceContext, private readonly host: PolicyHost) {}

  addToServer(server: grpc.Server): void {
    const log = this.c.log.child({ area: 'policy-service' });
    const handlers: PolicyHandlers = {
      Show: unaryHandler(log, 'Show', (req: PolicyShowRequest__Output) => this.show(req)),
      Set: unaryHandler(log, 'Set', async (req: PolicySetRequest__Output, call) => this.set(req, await this.c.auth.actor(call, req.via))),
      Drain: unaryHandler(log, 'Drain', async (req: DrainRequest__Output, call) => this.drain(req, await this.c.auth.actor(call, req.via))),
    };
    server.addService(zincV1().Policy.service, handlers);
  }

  private async show(req: PolicyShowRequest__Output): Promise<PolicyReply> {
    const { c } = this;
    if (req.host && req.host !== c.hostId) {
      const via = c.router.forwardVia(req.via, `host ${req.host}`);
      return c.router.call(req.host, (address, expect) => unary(this.client(address, expect), 'show', { host: req.host, via }, PEER_CALL_TIMEOUT_MS));
    }
    return this.localReply();
  }

  private async set(req: PolicySetRequest__Output, actor: Actor): Promise<PolicySetReply> {
    const { c } = this;
    const change = changeFrom(req);
    c.auth.requireRoot(actor, `change the placement policy of ${req.all ? 'the grid' : req.host || c.hostId}`);

    if (req.all) {
      // Validate here first: a typo should fail the command, not be reported by every host.
      applyChange(this.host.engine.chain, change, this.host.engine.registry);
      const via = c.router.forwardVia(req.via, 'policy set --all', actor);
      const peers = c.discovery
        .views()
        .filter((v) => v.status === 'alive' && v.record.host !== c.hostId)
        .map((v) => v.record.host)
        .sort();
      const reply: { hosts: PolicyReply[]; failed: string[] } = { hosts: [await this.applyLocal(change)], failed: [] };
      await mapLimit(peers, FAN_OUT, async (peer) => {
        try {
          const r = await c.router.call(peer, (address, expect) =>
            unary(this.client(address, expect), 'set', { ...req, all: false, host: peer, via }, PEER_CALL_TIMEOUT_MS),
          );
          reply.hosts.push(...(r.hosts ?? []));
          reply.failed.push(...(r.failed ?? []));
        } catch (err) {
          reply.failed.push(`${peer}: ${err instanceof ZincError ? err.message : errorMessage(err)}`);
        }
      });
      reply.hosts.sort((a, b) => (a.host ?? '').localeCompare(b.host ?? ''));
      return reply;
    }

    if (req.host && req.host !== c.hostId) {
      const via = c.router.forwardVia(req.via, `host ${req.host}`, actor);
      return c.router.call(req.host, (address, expect) => unary(this.client(address, expect), 'set', { ...req, via }, PEER_CALL_TIMEOUT_MS));
    }
    return { hosts: [await this.applyLocal(change)], failed: [] };
  }

  private applyLocal(change: ChainChange): Promise<PolicyReply> {
    const run = this.queue.then(async () => {
      const { engine } = this.host;
      const next = applyChange(engine.chain, change, engine.registry);
      await this.host.setChain(next);
      this.c.log.info({ area: 'policy-service', chain: engine.active.text, version: next.version, balancer: next.balancer.enabled }, 'policy chain changed');
      return this.localReply();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async drain(req: DrainRequest__Output, actor: Actor): Promise<DrainReply> {
    const { c } = this;
    c.auth.requireRoot(actor, `${req.drain ? 'drain' : 'undrain'} ${req.host || c.hostId}`);
    if (req.host && req.host !== c.hostId) {
      const via = c.router.forwardVia(req.via, `host ${req.host}`, actor);
      // Draining may wait for the first moves to be planned: allow more than a quick call.
      return c.router.call(req.host, (address, expect) => unary(this.client(address, expect), 'drain', { host: req.host, drain: req.drain, via }, 4 * PEER_CALL_TIMEOUT_MS));
    }
    return this.host.drain(req.drain);
  }

  private localReply(): PolicyReply {
    const { engine } = this.host;
    return {
      host: this.c.hostId,
      chain: chainToWire(engine.active),
      available: engine.registry.list().map((p) => ({ name: p.name, kind: p.kind, description: p.description, defaults: { ...p.defaults } })),
    };
  }

  private client(address: string, expect: PeerIdentity | undefined): PolicyClient {
    // Keyed like the pool's channels: a client is bound to the identity it was made for.
    const key = expect ? `${address}|${expect.domain}/${expect.host}` : address;
    let client = this.clients.get(key);
    if (!client) {
      client = new (zincV1().Policy)(address, this.c.pool.credentials(address, expect), this.c.pool.channelOptions(address, expect));
      this.clients.set(key, client);
    }
    return client;
  }
}

/** The request as a chain change; refuses one that changes nothing. */
export function changeFrom(req: PolicySetRequest__Output): ChainChange {
  const balancer = req.balancer === '' ? undefined : req.balancer === 'on' || req.balancer === 'off' ? req.balancer : undefined;
  if (req.balancer !== '' && balancer === undefined) throw new InvalidRequestError(`--balancer must be on or off, not "${req.balancer}"`);
  const change: ChainChange = {
    scorer: req.scorer || undefined,
    filters: req.setFilters || (req.filters ?? []).length > 0 ? (req.filters ?? []) : undefined,
    params: req.params ?? {},
    balancer,
    balancerParams: req.balancerParams ?? {},
  };
  const nothing =
    change.scorer === undefined &&
    change.filters === undefined &&
    change.balancer === undefined &&
    Object.keys(change.params ?? {}).length === 0 &&
    Object.keys(change.balancerParams ?? {}).length === 0;
  if (nothing) throw new InvalidRequestError('nothing to change', 'Name a scorer, or give --filters, --param, --balancer or --balancer-param');
  return change;
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
