/**
 * Links: veth pairs, bridges, addresses, routes, and tbf for bandwidth. Every call names the
 * namespace it acts in; a veth pair is created directly across two lab namespaces (`peer … netns`),
 * so no interface ever exists in the root namespace, not even for a moment.
 */
import { ip, tc } from './netns.js';
import { run } from './run.js';

export async function addBridge(ns: string, name: string): Promise<void> {
  // No STP and no forwarding delay: a lab bridge has no loops and must forward at once.
  await ip(ns, ['link', 'add', 'name', name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
}

export async function addVeth(ns: string, name: string, peerNs: string, peerName: string): Promise<void> {
  // Always `name X`: a bare short name (e.g. "b") would be parsed as a keyword abbreviation.
  await ip(ns, ['link', 'add', 'name', name, 'type', 'veth', 'peer', 'name', peerName, 'netns', peerNs]);
}

export async function setMaster(ns: string, dev: string, bridge: string): Promise<void> {
  await ip(ns, ['link', 'set', 'dev', dev, 'master', bridge]);
}

export async function addAddress(ns: string, dev: string, cidr: string): Promise<void> {
  await ip(ns, ['addr', 'add', cidr, 'dev', dev]);
}

export async function linkUp(ns: string, dev: string): Promise<void> {
  await ip(ns, ['link', 'set', 'dev', dev, 'up']);
}

export async function addRoute(ns: string, dest: string, via: string, dev: string): Promise<void> {
  await ip(ns, ['route', 'add', dest, 'via', via, 'dev', dev]);
}

export interface TbfParams {
  burstBytes: number;
  limitBytes: number;
}

/** The kernel's timer tick rate on the project's machines; burst must cover one tick's worth. */
const HZ = 250;
const MIN_BURST = 16 * 1024;
const MIN_LIMIT = 64 * 1024;

/**
 * tbf sizing. burst: at least one timer tick of data (so the shaper can reach its rate) and room
 * for a few TSO segments. limit (the queue): one bandwidth-delay product for the longest round
 * trip the link carries, so that a single TCP flow keeps the link busy through its congestion
 * window halvings; a much longer queue would only add latency.
 */
export function tbfParams(rateBps: number, rttUs: number): TbfParams {
  const bytesPerSec = rateBps / 8;
  const burstBytes = Math.max(MIN_BURST, Math.ceil(bytesPerSec / HZ));
  const bdp = Math.ceil((bytesPerSec * rttUs) / 1e6);
  return { burstBytes, limitBytes: Math.max(MIN_LIMIT, bdp, 2 * burstBytes) };
}

/** Shapes `dev`'s egress to `rateBps` (or removes the shaping when null). */
export async function setTbf(ns: string, dev: string, rateBps: number | null, rttUs: number): Promise<void> {
  if (rateBps === null) {
    // Nothing to delete is fine: the device then already has its default qdisc.
    await run(['tc', '-n', ns, 'qdisc', 'del', 'dev', dev, 'root']);
    return;
  }
  const p = tbfParams(rateBps, rttUs);
  await tc(ns, [
    'qdisc', 'replace', 'dev', dev, 'root', 'tbf',
    'rate', `${rateBps}bit`, 'burst', String(p.burstBytes), 'limit', String(p.limitBytes),
  ]);
}
