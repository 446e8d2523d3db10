/** In-memory Name Dropper rounds for tests and benches: the transport's steps without gRPC. */
import type { NameDropper, NdRecord } from '../../daemon/discovery/name-dropper.js';

/**
 * One host's turn in a round: advance its own record, push its view to a random known host and,
 * with `pull`, merge the receiver's answer (what it knows better). Returns the entries sent each
 * way, or undefined when the host knows nobody to push to.
 */
export function gossipTurn<R extends NdRecord>(nd: NameDropper<R>, byHost: ReadonlyMap<string, NameDropper<R>>, pull: boolean): { pushed: number; answered: number } | undefined {
  const self = nd.self();
  nd.setSelf({ ...self, version: self.version + 1 });
  const target = byHost.get(nd.pickTarget() ?? '');
  if (!target) return undefined;
  const push = nd.outgoing();
  const answer = pull ? target.fresherThan(push) : [];
  target.merge(push);
  nd.merge(answer);
  return { pushed: push.length, answered: answer.length };
}
