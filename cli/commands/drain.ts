/**
 * `zinc drain HOST` moves every job off HOST and stops new placements there (maintenance);
 * `zinc undrain HOST` reopens it. Draining is asynchronous: the host moves its jobs a few at a time
 * and reports what is moving and what is stuck; --wait polls until it is empty.
 */
import type { Command } from 'commander';
import type { DrainReply__Output } from '../../proto/generated/zinc/v1/DrainReply.js';
import { parseDuration } from '../../daemon/common/units.js';
import { action, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { printJson } from '../format.js';
import { policyClient } from './policy.js';

const POLL_MS = 2000;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('drain')
    .description('move every job off HOST and stop new placements there')
    .argument('<host>')
    .option('--wait', 'wait until no job is left on the host')
    .option('--timeout <duration>', 'with --wait: give up after this long (default 10m)')
    .option('--json', 'machine-readable output')
    .action(
      action(async (host: string, o: { wait?: boolean; timeout?: string; json?: boolean }) => {
        const timeoutMs = o.timeout === undefined ? 600_000 : parseDuration(o.timeout);
        if (timeoutMs === undefined || timeoutMs <= 0) throw new UsageError(`invalid --timeout "${String(o.timeout)}"`, 'Give a duration such as 90s or 10m');
        const c = ctx.client();
        const client = policyClient(ctx);
        let r = await c.call(client, 'drain', { host, drain: true });
        if (!o.wait) {
          if (o.json) return printJson(r);
          process.stdout.write(renderDrain(r));
          return 0;
        }
        const deadline = Date.now() + timeoutMs;
        let last = '';
        while (r.moving.length > 0 || r.stuck.length > 0) {
          const text = renderDrain(r);
          if (!o.json && text !== last) process.stdout.write(text);
          last = text;
          if (Date.now() >= deadline) {
            process.stderr.write(`zinc: ${host} still has ${r.moving.length + r.stuck.length} job(s) after ${o.timeout ?? '10m'}; it stays draining\n`);
            if (o.json) printJson(r);
            return 1;
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          r = await c.call(client, 'drain', { host, drain: true });
        }
        if (o.json) return printJson(r);
        process.stdout.write(`${r.host} drained: no jobs left\n`);
        return 0;
      }),
    );

  program
    .command('undrain')
    .description('let HOST take new jobs again')
    .argument('<host>')
    .option('--json', 'machine-readable output')
    .action(
      action(async (host: string, o: { json?: boolean }) => {
        const c = ctx.client();
        const r = await c.call(policyClient(ctx), 'drain', { host, drain: false });
        if (o.json) return printJson(r);
        process.stdout.write(`${r.host} ${r.draining ? 'is still draining' : 'accepts jobs again'}\n`);
      }),
    );
}

export function renderDrain(r: DrainReply__Output): string {
  if (!r.draining) return `${r.host} is not draining\n`;
  const head =
    r.moving.length === 0 && r.stuck.length === 0
      ? `${r.host} draining: no jobs left`
      : `${r.host} draining: ${r.moving.length} moving${r.moving.length ? ` (${r.moving.join(', ')})` : ''}, ${r.stuck.length} stuck`;
  return [head, ...r.stuck.map((s) => `  stuck ${s}`)].join('\n') + '\n';
}
