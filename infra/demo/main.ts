#!/usr/bin/env node
/**
 * `make demo`: zinc's main job on a real multi-domain grid, in a few minutes. It builds a netns lab
 * of three administrative domains joined by a slow WAN link, then runs the commands a user would,
 * printing each one and its output: gossip discovery, a stranger refused by mutual TLS, placement,
 * whole-job control, checkpoint and restart, users (a job runs as its submitter; another user and
 * `--user root` are refused), migration across domains (stop-and-copy and post-copy), the GPID
 * following the job, and drain. The lab is removed at the end, also on Ctrl-C or failure.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab } from '../lab/lab.js';
import { strangerKnocks } from './stranger.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const TESTJOB = join(ROOT, 'build', 'zinc-testjob');
const NAME = 'demo';
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

let lab: Lab | undefined;

function step(title: string): void {
  process.stdout.write(`\n${bold(`▶ ${title}`)}\n`);
}

/** System accounts every Debian machine has, standing in for two grid users. */
const NOBODY = { name: 'nobody', uid: 65534, gid: 65534 };
const OTHER = { name: 'daemon', uid: 1, gid: 1 };
type User = typeof NOBODY;

async function zinc(host: string, args: string[], opts: { quiet?: boolean; as?: User; refused?: boolean } = {}): Promise<string> {
  if (!lab) throw new Error('no lab');
  const who = opts.as ? `${opts.as.name}@${host}` : host;
  process.stdout.write(dim(`[${who}]$ zinc ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}\n`));
  const r = await lab.zinc(host, args, { timeoutMs: 180_000, user: opts.as });
  const out = (r.stderr + r.stdout).trimEnd();
  if (!opts.quiet && out) process.stdout.write(`${out}\n`);
  if (opts.refused) {
    // A refusal is the point of the step: exit code 5 (permission denied) and nothing done.
    if (r.code !== 5) throw new Error(`zinc ${args.join(' ')} as ${who} should have been refused (exit 5), got exit ${r.code}`);
    process.stdout.write(dim(`(exit ${r.code}: refused)\n`));
    return '';
  }
  if (r.code !== 0) throw new Error(`zinc ${args.join(' ')} failed on ${host} (exit ${r.code})`);
  return r.stdout.trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the demo builds network namespaces and runs CRIU: run it as root (sudo make demo)');
  step('Build a grid: 3 administrative domains, 5 hosts, WAN links of 20 Mbit/s with 40 ms one-way delay');
  lab = await Lab.up({
    name: NAME,
    topology: {
      domains: [
        { name: 'frodo', hosts: 2 },
        { name: 'aurora', hosts: 2 },
        { name: 'box0', hosts: 1 },
      ],
    },
    wanRate: '20mbit',
    wanDelayMs: 40,
    peering: 'ring',
    daemonArgs: ['--gossip-interval', '500ms'],
    log: (l) => process.stdout.write(dim(`${l}\n`)),
  });
  const [a1, a2, b1, , c1] = lab.hosts().map((h) => h.id) as [string, string, string, string, string];
  for (let i = 0; i < 60; i++) {
    const r = await lab.zinc(a1, ['hosts', '--json']);
    if (r.code === 0 && (JSON.parse(r.stdout) as unknown[]).length === 5) break;
    await sleep(250);
  }

  step('Every zincd found the others by Name Dropper gossip (each started knowing one peer)');
  await zinc(a1, ['hosts']);

  step(`Mutual TLS: a stranger with a certificate from its own CA tries to join through ${a1}`);
  const refusals = await strangerKnocks(lab, join(ROOT, 'dist', 'daemon', 'main.js'), a2, a1, 3000);
  for (const l of refusals.slice(0, 2)) {
    const f = JSON.parse(l) as { remote?: string; reason?: string; msg?: string };
    process.stdout.write(`${a1} log: ${f.msg ?? ''} from ${f.remote ?? '?'}: ${f.reason ?? ''}\n`);
  }
  if (refusals.length === 0) throw new Error(`${a1} logged no refusal of the stranger`);
  const seen = await zinc(a1, ['hosts', '--json'], { quiet: true });
  const known = (JSON.parse(seen) as Array<{ record: { host: string } }>).map((h) => h.record.host);
  if (known.includes('stranger')) throw new Error('the stranger got into the grid');
  process.stdout.write(`${a1} knows ${known.length} hosts; the stranger is not one of them\n`);

  step('Submit jobs to frodo; Zinctask places them on the least loaded hosts, across domains');
  const jobs: string[] = [];
  for (let i = 0; i < 4; i++) jobs.push(await zinc(a1, ['submit', '--name', `burn${i}`, '--', 'sh', '-c', 'while :; do :; done']));
  await zinc(a1, ['ps']);
  const why = await zinc(a1, ['show', jobs[3] ?? ''], { quiet: true });
  process.stdout.write(`${why.split('\n').filter((l) => /^(Placement|  |\s+decided)/.test(l) && !/^\s+\d{4}-/.test(l)).slice(0, 8).join('\n')}\n`);
  // The burners have made their point; on two cores they would slow everything that follows.
  for (const j of jobs) await lab.zinc(a1, ['kill', j]);

  step('A job with a process tree: stop freezes every process, cont resumes, kill ends the whole tree');
  const tree = await zinc(a1, ['submit', '--host', a1, '--', 'sh', '-c', '(setsid sh -c "sleep 600" &); sleep 600']);
  await zinc(a1, ['stop', tree]);
  await zinc(a1, ['cont', tree]);
  await zinc(a1, ['kill', tree]);

  step('Checkpoint a counting job, kill it, restart it: it goes on from where it was saved');
  const counter = await zinc(a1, ['submit', '--host', a1, '--name', 'counter', '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done']);
  await sleep(1500);
  await zinc(a1, ['checkpoint', '--leave-running', counter]);
  await zinc(a1, ['kill', counter]);
  await zinc(a1, ['restart', counter]);
  await sleep(700);
  process.stdout.write(`last lines: ${(await zinc(a1, ['logs', counter], { quiet: true })).split('\n').slice(-3).join(' ')}\n`);

  step('Users: a job runs as whoever submitted it; other users may look at it, not touch it');
  const users = await zinc(a1, ['submit', '--host', a1, '--name', 'nobodys', '--', 'sh', '-c', 'id -un; sleep 600'], { as: NOBODY });
  await sleep(300);
  await zinc(a1, ['logs', users], { as: NOBODY });
  await zinc(a1, ['kill', users], { as: OTHER, refused: true });
  await zinc(a1, ['submit', '--user', 'root', '--', 'cat', '/etc/shadow'], { as: NOBODY, refused: true });
  await zinc(a1, ['kill', users], { as: NOBODY, quiet: true });

  step(`Migrate the running counter from domain frodo (${a1}) to domain aurora (${b1}) across the WAN`);
  await zinc(a1, ['migrate', counter, '--to', b1]);
  await sleep(500);
  process.stdout.write(`output continues on ${b1}: ${(await zinc(a1, ['logs', counter], { quiet: true })).split('\n').slice(-3).join(' ')}\n`);
  step('The GPID keeps working: the home host knows where the job is now');
  await zinc(a1, ['ps']);

  step('A 26,306,560-byte job (the seed\'s p2) migrates to box0 and checks its own memory afterwards');
  const mem = await zinc(a1, ['submit', '--host', a2, '--', TESTJOB, 'mem', '26306560']);
  await sleep(1500);
  await zinc(a1, ['migrate', mem, '--to', c1]);
  await zinc(a1, ['kill', '--signal', 'USR1', mem]);
  await lab.zinc(a1, ['wait', mem]);
  process.stdout.write(`${(await zinc(a1, ['logs', mem], { quiet: true })).split('\n').at(-1)}\n`);

  step('Post-copy (--lazy): a 256 MiB job resumes at once; its memory follows on demand');
  const big = await zinc(a1, ['submit', '--host', a1, '--', TESTJOB, 'ticks', String(256 << 20)]);
  await sleep(1500);
  await zinc(a1, ['migrate', big, '--to', a2, '--lazy']);
  await zinc(a1, ['kill', big]);

  step(`Drain ${b1} for maintenance: its jobs move away and new jobs avoid it`);
  const resident = await zinc(a1, ['submit', '--host', b1, '--name', 'resident', '--', 'sleep', '600']);
  await zinc(a1, ['drain', b1]);
  await sleep(4000);
  await zinc(a1, ['ps']);
  await zinc(a1, ['undrain', b1]);

  step('Clean up');
  await lab.zinc(a1, ['kill', counter]);
  await lab.zinc(a1, ['kill', resident]);
  process.stdout.write(`\n${bold('Demo complete.')} Try it yourself: zinc-lab up --domains 3 --hosts 5, then zinc-lab exec HOST -- zinc …\n`);
}

async function cleanup(): Promise<void> {
  const l = lab;
  lab = undefined;
  if (l) await l.down().catch(() => undefined);
  else await Lab.down(NAME).catch(() => undefined);
}

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
main()
  .then(cleanup)
  .catch(async (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await cleanup();
    process.exit(1);
  });
