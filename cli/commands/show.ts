import type { Command } from 'commander';
import type { JobInfo__Output } from '../../proto/generated/zinc/v1/JobInfo.js';
import { action, type CliContext } from '../context.js';
import { clock, cpu, formatBytes, printJson, runtime, shellQuote, stateWithDetail } from '../format.js';
import { renderPlacement } from '../placement-view.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description('everything about a job: state, exit, usage, placement, events')
    .argument('<gpid>')
    .option('--json', 'machine-readable output')
    .action(
      action(async (gpid: string, o: { json?: boolean }) => {
        const c = ctx.client();
        const j = await c.call(c.jobs, 'show', { gpid });
        if (o.json) return printJson(j);
        process.stdout.write(render(j));
      }),
    );
}

export function render(j: JobInfo__Output): string {
  const lines: Array<[string, string]> = [
    ['GPID', j.gpid],
    ['Name', j.name],
    ['State', stateWithDetail(j) + (j.reason ? ` — ${j.reason}` : '')],
    ['Host', `${j.host}${j.home !== j.host ? `  (home ${j.home})` : ''}`],
    ['Command', shellQuote(j.spec?.argv ?? [])],
    ['User', j.spec?.user ?? ''],
    ['Cwd', j.cwd],
    ['Files', j.jobDir],
    ['Submitted', clock(Number(j.submittedAtMs))],
    ['Started', clock(Number(j.startedAtMs))],
    ['Ended', Number(j.endedAtMs) ? clock(Number(j.endedAtMs)) : '-'],
    ['Runtime', runtime(j)],
    ['CPU time', cpu(j)],
    ['Peak memory', Number(j.usage?.peakRssBytes) ? formatBytes(Number(j.usage?.peakRssBytes)) : '-'],
  ];
  if (j.jobPid) lines.push(['PID', `${j.jobPid} (supervisor ${j.shimPid})`]);
  if (Number(j.spec?.memBytes)) lines.push(['Memory', formatBytes(Number(j.spec?.memBytes))]);
  if ((j.hops ?? []).length > 1) lines.push(['Hosts', (j.hops ?? []).join(' → ')]);
  const width = Math.max(...lines.map(([k]) => k.length));
  let out = lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
  if (j.placement) out += renderPlacement(j.placement);
  if ((j.events ?? []).length) {
    out += 'Events\n';
    for (const e of j.events ?? []) {
      out += `  ${clock(Number(e.atMs))}  ${e.host.padEnd(10)}  ${e.type.padEnd(12)}  ${e.message}\n`;
    }
  }
  return out;
}
