/**
 * What a host believes of a gossip message when peers are verified by TLS (docs/security.md,
 * "Forged gossip"). Pure: the caller supplies what it knows and logs what is dropped.
 *
 * Dropped:
 *   - the whole push, when the sender's own record (or the host it names itself as) is not the
 *     host id and domain its certificate proves;
 *   - records of a domain whose CA this host does not trust;
 *   - a record about a known host, not sent by that host itself, that changes its address or
 *     domain (second-hand gossip cannot move a host; the host's own push or Hello can);
 *   - records beyond MAX_RECORDS_PER_PUSH.
 * Accepted but harmless: a record about an unknown host (a fake host with huge free memory, or a
 * real host at a wrong address). Work goes only over channels bound to the identity a record
 * claims (daemon/peers/pool.ts), so such a host fails the handshake and placement moves on.
 */
import type { PeerIdentity } from '../security/peer-identity.js';
import type { HostState } from './host-state.js';
import type { GossipEntry } from './nd-record.js';

/** More hosts than any grid zinc is built for (a 10,000-host push is ~2 MiB); the rest is dropped. */
export const MAX_RECORDS_PER_PUSH = 10_000;

export interface GuardContext {
  /** The sender as its certificate proves it; undefined without TLS or for an unbound seed. */
  sender: PeerIdentity | undefined;
  /** The host id the message says it is from (GossipMessage.fromHost), if any. */
  claimedFrom: string | undefined;
  /** Whether TLS is on: without it nothing can be checked but the size. */
  verified: boolean;
  trusts: (domain: string) => boolean;
  known: (host: string) => HostState | undefined;
}

export interface Dropped {
  host: string;
  reason: string;
}

export type GuardResult = { refused: string } | { refused: undefined; accepted: GossipEntry<HostState>[]; dropped: Dropped[]; truncated: number };

export function guardGossip(entries: readonly GossipEntry<HostState>[], g: GuardContext): GuardResult {
  const truncated = Math.max(0, entries.length - MAX_RECORDS_PER_PUSH);
  const list = truncated > 0 ? entries.slice(0, MAX_RECORDS_PER_PUSH) : entries;
  if (!g.verified) return { refused: undefined, accepted: [...list], dropped: [], truncated };
  const s = g.sender;
  if (s) {
    if (g.claimedFrom && g.claimedFrom !== s.host) return { refused: `message claims to come from ${g.claimedFrom}, certificate proves ${s.domain}/${s.host}` };
    const own = list.find((e) => e.record.host === s.host);
    if (own && own.record.domain !== s.domain) return { refused: `sender's record says domain ${own.record.domain}, certificate proves ${s.domain}` };
  }
  const accepted: GossipEntry<HostState>[] = [];
  const dropped: Dropped[] = [];
  for (const e of list) {
    const r = e.record;
    if (!g.trusts(r.domain)) {
      dropped.push({ host: r.host, reason: `domain ${r.domain} is not trusted (no CA in --tls-ca)` });
      continue;
    }
    const firstHand = s !== undefined && r.host === s.host && r.domain === s.domain;
    const known = g.known(r.host);
    if (!firstHand && known && (known.address !== r.address || known.domain !== r.domain)) {
      dropped.push({ host: r.host, reason: `second-hand record moves ${r.host} from ${known.domain}/${known.address} to ${r.domain}/${r.address}` });
      continue;
    }
    accepted.push(e);
  }
  return { refused: undefined, accepted, dropped, truncated };
}
