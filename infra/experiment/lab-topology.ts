/** The experiment's topology written as a zinc-lab topology (infra/lab/topology.ts). */
import type { TopologyInput } from '../lab/topology.js';
import { hostsOf, type TopologySpec } from './config.js';

export function labTopology(t: TopologySpec): TopologyInput {
  const hosts = hostsOf(t);
  return {
    lanRate: t.lanRate,
    domains: t.domains.map((d) => ({
      name: d.name,
      wan: { rate: d.wan.rate, delayMs: d.wan.delayMs },
      hosts: hosts.filter((h) => h.domain === d.name).map((h) => ({ id: h.id, speed: h.speed, cores: h.cores })),
    })),
  };
}
