/**
 * Builds the lab's network from a plan. Per domain: a router namespace holding the domain's bridge
 * (br0, the hosts' gateway) and its WAN interface; a relay namespace where zinc-relay delays the
 * WAN link's frames; one namespace per host. All domains meet on the backbone namespace's bridge.
 *
 *   host d1-h1 [lan0 198.18.1.1]──h1┐
 *   host d1-h2 [lan0 198.18.1.2]──h2┴[br0 198.18.1.254] router.d1 [wan0 198.19.0.1]──┐ tbf
 *                                                                                     │
 *                                              relay.d1 [to-router ⇄ zinc-relay ⇄ to-backbone]
 *                                                                                     │
 *                                              backbone.wan [br0]──dom1 (tbf) … dom2 …
 *
 * Hosts route only 198.18.0.0/15 (via their router); routers route the other domains' /24s via
 * their backbone addresses. There is no default route anywhere: nothing can leave the lab.
 */
import { addAddress, addBridge, addRoute, addVeth, linkUp, setMaster, setTbf } from './links.js';
import { addNetns } from './netns.js';
import { backboneNs, hostNs, relayNs, routerNs } from './paths.js';
import { RELAY_BACKBONE_SIDE, RELAY_ROUTER_SIDE } from './relay.js';
import type { Plan, PlannedDomain } from './topology.js';

export const LAB_SUPERNET = '198.18.0.0/15';
export const HOST_IF = 'lan0';
export const ROUTER_WAN_IF = 'wan0';
export const BRIDGE = 'br0';
/** Round trip assumed inside a domain when sizing LAN shaper queues. */
const LAN_RTT_US = 1_000;

export const routerHostPort = (index: number): string => `h${index}`;
export const backbonePort = (domainIndex: number): string => `dom${domainIndex}`;

/** Longest round trip over a domain's WAN link: to the farthest other domain and back. */
export function wanRttUs(domains: ReadonlyArray<{ name: string; wanDelayUs: number }>, name: string): number {
  const self = domains.find((d) => d.name === name);
  const far = Math.max(0, ...domains.filter((d) => d.name !== name).map((d) => d.wanDelayUs));
  return 2 * ((self?.wanDelayUs ?? 0) + far);
}

export async function buildBackbone(lab: string): Promise<void> {
  const bb = backboneNs(lab);
  await addNetns(bb, { forward: false });
  await addBridge(bb, BRIDGE);
  await linkUp(bb, BRIDGE);
}

/** A domain's router, bridge, relay namespace and WAN link (the relay process starts later). */
export async function buildDomain(lab: string, plan: Plan, d: PlannedDomain): Promise<void> {
  const rt = routerNs(lab, d.name);
  const rl = relayNs(lab, d.name);
  const bb = backboneNs(lab);
  await addNetns(rt, { forward: true });
  await addNetns(rl, { forward: false });
  await addBridge(rt, BRIDGE);
  await addAddress(rt, BRIDGE, `${d.gateway}/24`);
  await linkUp(rt, BRIDGE);

  await addVeth(rt, ROUTER_WAN_IF, rl, RELAY_ROUTER_SIDE);
  await addVeth(rl, RELAY_BACKBONE_SIDE, bb, backbonePort(d.index));
  await addAddress(rt, ROUTER_WAN_IF, `${d.wanAddress}/24`);
  await linkUp(rt, ROUTER_WAN_IF);
  await linkUp(rl, RELAY_ROUTER_SIDE);
  await linkUp(rl, RELAY_BACKBONE_SIDE);
  await setMaster(bb, backbonePort(d.index), BRIDGE);
  await linkUp(bb, backbonePort(d.index));
  await shapeWan(lab, d.name, d.index, d.wanRateBps, wanRttUs(plan.domains, d.name));

  for (const h of d.hosts) {
    const hn = hostNs(lab, h.id);
    const port = routerHostPort(h.index);
    await addNetns(hn, { forward: false });
    await addVeth(rt, port, hn, HOST_IF);
    await setMaster(rt, port, BRIDGE);
    await linkUp(rt, port);
    await addAddress(hn, HOST_IF, `${h.address}/24`);
    await linkUp(hn, HOST_IF);
    await addRoute(hn, LAB_SUPERNET, d.gateway, HOST_IF);
    if (plan.lanRateBps !== null) {
      await setTbf(hn, HOST_IF, plan.lanRateBps, LAN_RTT_US);
      await setTbf(rt, port, plan.lanRateBps, LAN_RTT_US);
    }
  }
}

/** Routes between the routers, once every domain exists. */
export async function buildRoutes(lab: string, plan: Plan): Promise<void> {
  for (const d of plan.domains) {
    for (const e of plan.domains) {
      if (e.name !== d.name) await addRoute(routerNs(lab, d.name), e.subnet, e.wanAddress, ROUTER_WAN_IF);
    }
  }
}

/**
 * Rate of a domain's WAN link, both directions: egress of the router's wan0 (out of the domain)
 * and egress of the backbone's port towards it (into the domain). Shaping happens before the
 * relay's delay, like serialisation before propagation on a real link.
 */
export async function shapeWan(lab: string, domain: string, index: number, rateBps: number | null, rttUs: number): Promise<void> {
  await setTbf(routerNs(lab, domain), ROUTER_WAN_IF, rateBps, rttUs);
  await setTbf(backboneNs(lab), backbonePort(index), rateBps, rttUs);
}
