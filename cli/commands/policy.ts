/**
 * `zinc policy show` and `zinc policy set`: the placement chain (filters, then one scorer) and the
 * balancer, on this host, another (--host) or all live hosts (--all), changed at run time.
 */
import type { Command } from 'commander';
import { zincV1 } from '../../proto/loader.js';
import type { PolicyClient } from '../../proto/generated/zinc/v1/Policy.js';
import type { PolicyChain__Output } from '../../proto/generated/zinc/v1/PolicyChain.js';
import type { PolicyInfo__Output } from '../../proto/generated/zinc/v1/PolicyInfo.js';
import type { PolicyReply__Output } from '../../proto/generated/zinc/v1/PolicyReply.js';
import { action, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { printJson, table } from '../format.js';

const collect = (v: string, prev: string[]) => [...prev, v];

export function policyClient(ctx: CliContext): PolicyClient {
  return ctx.client().service(zincV1().Policy);
}

export function register(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('the placement policy chain and the balancer (see docs/policies.md)');

  policy
    .command('show')
    .description('the active chain, its parameters, and every policy available')
    .option('--host <host>', 'show another host\'s chain')
    .option('--json', 'machine-readable output')
    .action(
      action(async (o: { host?: string; json?: boolean }) => {
        const c = ctx.client();
        const r = await c.call(policyClient(ctx), 'show', { host: o.host ?? '' });
        if (o.json) return printJson(r);
        process.stdout.write(renderPolicy(r));
      }),
    );

  policy
    .command('set')
    .description('change the chain at run time: scorer NAME, --filters, --param, --balancer')
    .argument('[name]', 'the scorer, e.g. zinctask, random, round-robin, least-loaded (default: keep)')
    .option('--filters <a,b>', 'replace the filters, in order ("" or none: no filters)')
    .option('--param <k=v>', 'a scorer or filter parameter, KEY or NAME.KEY; KEY= resets it (repeatable)', collect, [])
    .option('--balancer <on|off>', 'turn preemptive migration on or off')
    .option('--balancer-param <k=v>', 'a balancer parameter; KEY= resets it (repeatable)', collect, [])
    .option('--host <host>', 'change another host')
    .option('--all', 'change every live host')
    .option('--json', 'machine-readable output')
    .action(
      action(
        async (
          name: string | undefined,
          o: { filters?: string; param: string[]; balancer?: string; balancerParam: string[]; host?: string; all?: boolean; json?: boolean },
        ) => {
          if (o.host && o.all) throw new UsageError('--host and --all exclude each other', 'Give one host with --host, or every live host with --all');
          if (o.balancer !== undefined && o.balancer !== 'on' && o.balancer !== 'off') throw new UsageError(`invalid --balancer "${o.balancer}"`, 'Use --balancer on or --balancer off');
          const filters = o.filters === undefined ? undefined : parseFilters(o.filters);
          const params = parsePairs(o.param, '--param');
          const balancerParams = parsePairs(o.balancerParam, '--balancer-param');
          if (!name && filters === undefined && o.balancer === undefined && !Object.keys(params).length && !Object.keys(balancerParams).length) {
            throw new UsageError('nothing to change', 'Name a scorer, or give --filters, --param, --balancer or --balancer-param');
          }
          const c = ctx.client();
          const r = await c.call(policyClient(ctx), 'set', {
            host: o.host ?? '',
            all: !!o.all,
            scorer: name ?? '',
            filters: filters ?? [],
            setFilters: filters !== undefined,
            params,
            balancer: o.balancer ?? '',
            balancerParams,
          });
          if (o.json) printJson(r);
          else for (const h of r.hosts ?? []) process.stdout.write(`${h.host}  ${summary(h.chain)}\n`);
          for (const f of r.failed ?? []) process.stderr.write(`zinc: not changed on ${f}\n`);
          return (r.failed ?? []).length > 0 ? 1 : 0;
        },
      ),
    );
}

function parseFilters(text: string): string[] {
  const t = text.trim();
  if (t === '' || t === 'none') return [];
  const names = t.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new UsageError(`invalid --filters "${text}"`, 'Give filter names separated by commas, e.g. --filters mem-fit,not-draining');
  return names;
}

function parsePairs(items: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid ${flag} "${item}"`, `Use ${flag} KEY=VALUE (KEY= resets KEY to its default)`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1);
  }
  return out;
}

/** "mem-fit,not-draining,domain > zinctask  v3  balancer off". */
function summary(chain: PolicyChain__Output | null): string {
  if (!chain) return '(no chain)';
  const filters = chain.filters.map((f) => f.name).join(',');
  return `${filters ? `${filters} > ` : ''}${chain.scorer?.name ?? '?'}  v${chain.version}  balancer ${chain.balancerEnabled ? 'on' : 'off'}`;
}

/** Params as k=v, a '*' marking the ones that differ from the default. */
function params(values: Record<string, string>, info: PolicyInfo__Output | undefined): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${k}=${values[k] ?? ''}${info && info.defaults[k] !== values[k] ? '*' : ''}`)
    .join(' ');
}

export function renderPolicy(r: PolicyReply__Output): string {
  const info = new Map(r.available.map((p) => [p.name, p]));
  const chain = r.chain;
  const lines: Array<[string, string]> = [
    ['Host', r.host],
    ['Chain', `${summary(chain)}`],
  ];
  (chain?.filters ?? []).forEach((f, i) => lines.push([i === 0 ? 'Filters' : '', `${f.name}${Object.keys(f.params).length ? `  ${params(f.params, info.get(f.name))}` : ''}`]));
  if ((chain?.filters ?? []).length === 0) lines.push(['Filters', '(none)']);
  const scorer = chain?.scorer;
  if (scorer) lines.push(['Scorer', `${scorer.name}${Object.keys(scorer.params).length ? `  ${params(scorer.params, info.get(scorer.name))}` : ''}`]);
  const balancerInfo = r.available.find((p) => p.kind === 'balancer');
  lines.push(['Balancer', `${chain?.balancerEnabled ? 'on' : 'off'}  ${params(chain?.balancerParams ?? {}, balancerInfo)}`]);
  const width = Math.max(...lines.map(([k]) => k.length));
  let out = lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()).join('\n') + '\n';
  out += '  (* = changed from the default)\n\nAvailable\n';
  const rows = r.available.map((p) => [p.name, p.kind, p.description, Object.entries(p.defaults).map(([k, v]) => `${k}=${v}`).join(' ')]);
  out += `${table(['NAME', 'KIND', 'DESCRIPTION', 'PARAMETERS (DEFAULTS)'], rows)}\n`;
  return out;
}
