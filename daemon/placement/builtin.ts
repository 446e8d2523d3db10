/**
 * The built-in policies. Adding one is a new file under plugins/ and one line in BUILTIN below
 * (see docs/policies.md).
 */
import { balancer } from '../balancer/balancer.js';
import type { PolicyDefinition } from './plugin.js';
import { domain } from './plugins/domain.js';
import { leastLoaded } from './plugins/least-loaded.js';
import { memFit } from './plugins/mem-fit.js';
import { notDraining } from './plugins/not-draining.js';
import { random } from './plugins/random.js';
import { roundRobin } from './plugins/round-robin.js';
import { zinctask } from './plugins/zinctask.js';
import { PolicyRegistry } from './registry.js';

export const BUILTIN: readonly PolicyDefinition[] = [
  // filters
  memFit,
  notDraining,
  domain,
  // scorers
  zinctask,
  random,
  roundRobin,
  leastLoaded,
  // the balancer
  balancer,
];

/** A registry with every built-in policy (one per daemon, simulator run or test). */
export function builtinRegistry(): PolicyRegistry {
  const r = new PolicyRegistry();
  for (const p of BUILTIN) r.register(p);
  return r;
}
