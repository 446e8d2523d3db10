/** `zinc-lab chaos`: the seeded fault-injection run as a zinc-lab subcommand (docs/lab.md, "Chaos runs"). */
import { type Command, InvalidArgumentError } from 'commander';
import { runChaos } from './chaos.js';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
};
const fraction = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('not a number in [0, 1]');
  return n;
};
const seconds = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('not a positive number of seconds');
  return n;
};

export function registerChaos(program: Command): void {
  program
    .command('chaos')
    .description('seeded, replayable fault injection: overlapping migrations with daemon kills, restarts, link cuts and drains; then checks that no job was lost, duplicated or stuck')
    .requiredOption('--seed <n>', 'seed of the schedule (same seed, same schedule)', int)
    .option('--rounds <n>', 'rounds of migrations', int, 10)
    .option('--concurrency <n>', 'migrations started per round', int, 3)
    .option('--lazy-fraction <f>', 'share of post-copy (--lazy) migrations', fraction, 0.4)
    .option('--jobs <n>', 'jobs to move around (default 3 × concurrency)', int)
    .option('--name <lab>', 'lab to build (and remove afterwards), or to use with --attach', 'chaos')
    .option('--hosts <n>', 'hosts of the lab it builds', int, 4)
    .option('--domains <n>', 'domains of the lab it builds', int, 2)
    .option('--wan-rate <rate>', 'WAN rate of the lab it builds', '100mbit')
    .option('--wan-delay <ms>', 'one-way WAN latency of the lab it builds', int, 20)
    .option('--settle <s>', 'bound on the wait for everything to settle after the last round', seconds, 120)
    .option('--attach', 'run against the running lab --name instead of building one (it is left up)')
    .option('--keep', 'leave the lab it built up at the end')
    .option('--report <file>', 'also write the result (every migration, fault and freeze) as JSON to FILE')
    .option('--keep-logs', 'copy the lab\'s logs to $TMPDIR/zinc-chaos-logs even if every check passed (a failed run always does)')
    .option('--print-schedule <n>', 'schedule lines printed at the start', int, 12)
    .action(
      async (o: {
        seed: number; rounds: number; concurrency: number; lazyFraction: number; jobs?: number; name: string; hosts: number; domains: number;
        wanRate: string; wanDelay: number; settle: number; attach?: boolean; keep?: boolean; keepLogs?: boolean; report?: string; printSchedule: number;
      }) => {
        const abort = new AbortController();
        let firstAt = 0;
        const onSignal = (): void => {
          // First signal: no new rounds; what ran is settled and checked. A second one exits (the
          // lab is removed by `zinc-lab down --name …`, or by the next run with the same name).
          // One within 2 s is the same signal delivered twice (`timeout` signals the child and
          // then its process group), not a second Ctrl-C.
          if (abort.signal.aborted) {
            if (Date.now() - firstAt > 2000) process.exit(130);
            return;
          }
          firstAt = Date.now();
          process.stderr.write('zinc-lab chaos: interrupted; no new rounds: the migrations in flight finish, then the checks run and the lab is removed\n');
          abort.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const r = await runChaos(
          {
            seed: o.seed,
            rounds: o.rounds,
            concurrency: o.concurrency,
            lazyFraction: o.lazyFraction,
            jobs: o.jobs,
            name: o.name,
            hosts: o.hosts,
            domains: o.domains,
            wanRate: o.wanRate,
            wanDelayMs: o.wanDelay,
            settleMs: Math.round(o.settle * 1000),
            attach: !!o.attach,
            keep: !!o.keep,
            keepLogs: !!o.keepLogs,
            report: o.report,
            printSchedule: o.printSchedule,
          },
          {
            out: (l) => process.stdout.write(`${l}\n`),
            log: (l) => process.stderr.write(`zinc-lab chaos: ${new Date().toISOString().slice(11, 23)} ${l}\n`),
            signal: abort.signal,
          },
        );
        // A failed check wins; an interrupted run that passed is still not a full run.
        process.exitCode = !r.passed ? 1 : r.interrupted ? 130 : 0;
      },
    );
}
