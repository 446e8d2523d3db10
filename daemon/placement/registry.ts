/**
 * Policies by name. The daemon builds one registry at start-up (builtin.ts); a chain refers to
 * its plugins by name, so switching policy at run time is a lookup, never a restart.
 */
import { PolicyChainInvalidError, PolicyDuplicateError, PolicyKindError, PolicyUnknownError } from './errors.js';
import type { BalancerDefinition, FilterDefinition, PolicyDefinition, PolicyInfoData, PolicyKind, ScorerDefinition } from './plugin.js';

const KIND_ORDER: Record<PolicyKind, number> = { filter: 0, scorer: 1, balancer: 2 };

export class PolicyRegistry {
  private readonly defs = new Map<string, PolicyDefinition>();

  register(def: PolicyDefinition): this {
    if (this.defs.has(def.name)) throw new PolicyDuplicateError(def.name);
    this.defs.set(def.name, def);
    return this;
  }

  get(name: string): PolicyDefinition | undefined {
    return this.defs.get(name);
  }

  names(kind?: PolicyKind): string[] {
    return [...this.defs.values()].filter((d) => kind === undefined || d.kind === kind).map((d) => d.name).sort();
  }

  filter(name: string): FilterDefinition {
    const d = this.require(name, 'filter');
    if (d.kind !== 'filter') throw new PolicyKindError(name, d.kind, 'filter');
    return d;
  }

  scorer(name: string): ScorerDefinition {
    const d = this.require(name, 'scorer');
    if (d.kind !== 'scorer') throw new PolicyKindError(name, d.kind, 'scorer');
    return d;
  }

  /** The balancer: a registry holds exactly one (the chain only turns it on and tunes it). */
  balancer(): BalancerDefinition {
    for (const d of this.defs.values()) if (d.kind === 'balancer') return d;
    throw new PolicyChainInvalidError('no balancer is registered', 'Register one in daemon/placement/builtin.ts');
  }

  /** For `zinc policy show`: filters, then scorers, then the balancer, each by name. */
  list(): PolicyInfoData[] {
    return [...this.defs.values()]
      .map((d) => ({ name: d.name, kind: d.kind, description: d.description, defaults: d.defaults }))
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private require(name: string, kind: PolicyKind): PolicyDefinition {
    const d = this.defs.get(name);
    if (!d) throw new PolicyUnknownError(name, this.names(kind));
    return d;
  }
}
