#!/usr/bin/env node
/**
 * zinc-lab: a multi-host, multi-domain test lab on one machine (network namespaces, a bridge per
 * domain, delayed and rate-limited WAN links, one zincd per host). See docs/lab.md.
 */
import { spawn } from 'node:child_process';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ZincError } from '../../daemon/common/zinc-error.js';
import { enterHostArgv } from './daemon.js';
import { Lab, type LabStatus } from './lab.js';
import { formatTable } from './table.js';
import { PEERINGS, formatRate, type Peering } from './topology.js';
import { isSignal, signalNumber } from './run.js';
import { registerChaos } from './chaos/command.js';

const DEFAULT_NAME = process.env.ZINC_LAB ?? 'lab';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
};
const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a non-negative number');
  return n;
};
const collect = (v: string, prev: string[]): string[] => [...prev, v];
const progress = (line: string): void => {
  process.stderr.write(`zinc-lab: ${line}\n`);
};

function hostTable(s: LabStatus, withStatus: boolean): string {
  const header = ['HOST', 'DOMAIN', 'ADDRESS', 'NETNS', 'SOCKET', 'ZINCD PID', ...(withStatus ? ['DAEMON'] : [])];
  const rows = s.hosts.map((h) => [
    h.id,
    h.domain,
    h.address,
    h.netns,
    h.socket,
    h.daemonPid === null ? '-' : String(h.daemonPid),
    ...(withStatus ? [h.daemonAlive ? (h.daemonReady ? 'ready' : 'alive, not answering') : 'not running'] : []),
  ]);
  return formatTable(header, rows);
}

function domainTable(s: LabStatus): string {
  const header = ['DOMAIN', 'SUBNET', 'GATEWAY', 'WAN ADDRESS', 'WAN RATE', 'LINK DELAY', 'RELAY', 'LINK'];
  const rows = s.domains.map((d) => [
    d.name,
    d.subnet,
    d.gateway,
    d.wanAddress,
    formatRate(d.wanRate),
    `${d.wanLinkDelayMs} ms`,
    d.relayAlive ? `pid ${d.relayPid ?? '?'}` : 'dead',
    d.cut ? 'CUT' : 'up',
  ]);
  return formatTable(header, rows);
}

const program = new Command('zinc-lab')
  .description('Multi-host, multi-domain zinc test lab in network namespaces on one machine')
  .enablePositionalOptions()
  .showHelpAfterError();

program
  .command('up')
  .description('build a lab (removing any leftover lab of the same name first)')
  .option('--name <lab>', 'lab name (letters/digits, no "-")', DEFAULT_NAME)
  .option('--domains <M>', 'number of domains', int)
  .option('--hosts <N>', 'total number of hosts, dealt round-robin over the domains', int)
  .option('--topology <file>', 'JSON topology file (instead of --domains/--hosts)')
  .option('--wan-rate <rate>', 'rate of each WAN link, e.g. 100mbit, 1gbit, unlimited', '100mbit')
  .option('--wan-delay <ms>', 'one-way latency between hosts of different domains (ms)', num, 20)
  .option('--lan-rate <rate>', 'rate of each host LAN link', 'unlimited')
  .addOption(new Option('--peering <scheme>', 'which peers each zincd is given').choices([...PEERINGS]).default('full'))
  .option('--no-daemons', 'do not start zincd on the hosts')
  .option('--daemon-arg <arg>', 'extra zincd argument (repeatable)', collect, [])
  .option('--no-tls', 'run the daemons in plaintext (--insecure) instead of mutual TLS with a CA per domain')
  .option('--base-dir <dir>', 'parent of the lab directory', '/tmp/zinc-lab')
  .option('--ready-timeout <ms>', 'how long each zincd may take to become ready', int, 30_000)
  .action(async (o: {
    name: string; domains?: number; hosts?: number; topology?: string; wanRate: string; wanDelay: number;
    lanRate: string; peering: Peering; daemons: boolean; tls: boolean; daemonArg: string[]; baseDir: string; readyTimeout: number;
  }) => {
    if (o.topology && (o.domains !== undefined || o.hosts !== undefined)) {
      throw new InvalidArgumentError('--topology cannot be combined with --domains/--hosts');
    }
    const abort = new AbortController();
    const onSignal = (): void => {
      progress('interrupted: removing what was built');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const lab = await Lab.up({
      name: o.name,
      domains: o.domains,
      hosts: o.hosts,
      topology: o.topology,
      wanRate: o.wanRate,
      wanDelayMs: o.wanDelay,
      lanRate: o.lanRate,
      peering: o.peering,
      daemons: o.daemons,
      daemonArgs: o.daemonArg,
      tls: o.tls,
      baseDir: o.baseDir,
      readyTimeoutMs: o.readyTimeout,
      log: progress,
      signal: abort.signal,
    });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const s = await lab.status();
    process.stdout.write(`${hostTable(s, false)}\n\n${domainTable(s)}\n`);
    process.stdout.write(`\nlab "${lab.name}" is up; files in ${lab.labDir}; remove it with: zinc-lab down --name ${lab.name}\n`);
  });

program
  .command('down')
  .description('remove a lab: processes, cgroups, namespaces, mounts and files')
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .action(async (o: { name: string }) => {
    const r = await Lab.down(o.name, { log: progress });
    process.stdout.write(r.found ? `lab "${o.name}" removed\n` : `no lab "${o.name}" found; nothing to do\n`);
  });

program
  .command('status')
  .description('print the lab\'s hosts and domains and whether each zincd and relay is alive')
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .option('--json', 'machine-readable output')
  .action(async (o: { name: string; json?: boolean }) => {
    const s = await Lab.open(o.name).status();
    if (o.json) {
      process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      return;
    }
    process.stdout.write(`lab "${s.name}" (${s.complete ? 'complete' : 'INCOMPLETE: up did not finish'}), created ${s.createdAt}\n\n`);
    process.stdout.write(`${hostTable(s, true)}\n\n${domainTable(s)}\n`);
  });

program
  .command('exec')
  .description('run a command inside a host (its network and mount namespaces); exit code passed through')
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .argument('<host>', 'host id, e.g. d1-h1')
  .argument('<cmd...>', 'command and arguments (options after HOST belong to the command)')
  .passThroughOptions()
  .action(async (host: string, cmd: string[], o: { name: string }) => {
    const h = Lab.open(o.name).host(host);
    // With pass-through options commander keeps a `--` that follows HOST; it is not the command.
    const command = cmd[0] === '--' ? cmd.slice(1) : cmd;
    if (command.length === 0) throw new InvalidArgumentError('no command given');
    const [bin, ...args] = [...enterHostArgv(h, process.cwd()), ...command];
    const child = spawn(bin ?? 'nsenter', args, { stdio: 'inherit' });
    // The terminal's Ctrl-C reaches the child directly; do not die before it does. A SIGTERM or
    // SIGHUP aimed at us alone is passed on, so that the command does not outlive us.
    process.on('SIGINT', () => undefined);
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
    const code = await new Promise<number>((resolve) => {
      child.on('error', () => resolve(127));
      child.on('exit', (c, sig) => resolve(c ?? 128 + signalNumber(sig)));
    });
    process.exit(code);
  });

program
  .command('measure')
  .description('measure TCP round-trip time and throughput between two hosts')
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .option('--seconds <s>', 'throughput test duration', num, 5)
  .argument('<from>')
  .argument('<to>')
  .action(async (from: string, to: string, o: { name: string; seconds: number }) => {
    const m = await Lab.open(o.name).measure(from, to, { seconds: o.seconds });
    process.stdout.write(
      `${from} -> ${to}: rtt min/median/max ${m.rttMs.min.toFixed(2)}/${m.rttMs.median.toFixed(2)}/${m.rttMs.max.toFixed(2)} ms, ` +
        `tcp ${m.throughputMbit.toFixed(1)} Mbit/s (${m.bytes} bytes in ${m.seconds.toFixed(2)} s)\n`,
    );
  });

program
  .command('cut')
  .description("cut a domain's WAN link (every frame dropped silently, both ways)")
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .argument('<domain>')
  .action(async (domain: string, o: { name: string }) => {
    await Lab.open(o.name).cutLink(domain);
  });

program
  .command('heal')
  .description("restore a domain's WAN link")
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .argument('<domain>')
  .action(async (domain: string, o: { name: string }) => {
    await Lab.open(o.name).healLink(domain);
  });

program
  .command('set-wan')
  .description('change WAN rate and/or delay (all links, or one domain\'s)')
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .option('--rate <rate>', 'e.g. 50mbit or unlimited')
  .option('--delay <ms>', 'one-way latency between domains (ms)', num)
  .option('--domain <domain>', 'only this domain\'s link')
  .action(async (o: { name: string; rate?: string; delay?: number; domain?: string }) => {
    await Lab.open(o.name).setWan({ rate: o.rate, delayMs: o.delay, domain: o.domain });
  });

program
  .command('daemon')
  .description("start or stop one host's zincd")
  .option('--name <lab>', 'lab name', DEFAULT_NAME)
  .option('--signal <sig>', 'signal for stop', 'SIGTERM')
  .argument('<action>', 'start | stop')
  .argument('<host>')
  .action(async (action: string, host: string, o: { name: string; signal: string }) => {
    const lab = Lab.open(o.name);
    if (action === 'start') {
      const pid = await lab.startDaemon(host);
      process.stdout.write(`zincd on ${host} is ready (pid ${pid})\n`);
    } else if (action === 'stop') {
      const sig = o.signal.toUpperCase().startsWith('SIG') ? o.signal.toUpperCase() : `SIG${o.signal.toUpperCase()}`;
      if (!isSignal(sig)) throw new InvalidArgumentError(`unknown signal ${o.signal}`);
      const done = await lab.killDaemon(host, sig);
      process.stdout.write(done ? `sent ${sig} to zincd on ${host}\n` : `zincd on ${host} was not running\n`);
    } else {
      throw new InvalidArgumentError(`unknown action ${action} (start | stop)`);
    }
  });

registerChaos(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ZincError) {
    process.stderr.write(`zinc-lab: error ${err.code}: ${err.toUserLine()}\n`);
  } else if (err instanceof InvalidArgumentError) {
    process.stderr.write(`zinc-lab: ${err.message}\n`);
  } else {
    process.stderr.write(`zinc-lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
