#!/usr/bin/env node
/** zincd: the zinc host daemon. */
import { Command, Option } from 'commander';
import { ZincError, errorMessage } from './common/zinc-error.js';
import { loadConfig } from './config/load.js';
import { LOG_LEVELS, type ConfigInput } from './config/schema.js';
import { Zincd } from './zincd.js';
import { ZINC_VERSION } from './common/version.js';

const program = new Command('zincd')
  .description('zinc host daemon: runs jobs, checkpoints and migrates them, gossips with other hosts')
  .version(ZINC_VERSION)
  .option('--config <file>', 'JSON config file (flags override it); see docs/config.md')
  .option('--host-id <id>', 'this host\'s stable id (default: hostname)')
  .option('--domain <name>', 'administrative domain (default: default)')
  .option('--state-dir <dir>', 'state directory, the daemon\'s database (default: /var/lib/zinc)')
  .option('--socket <path>', 'local CLI socket, mode 0600 (default: <state-dir>/zincd.sock)')
  .option('--listen <host:port>', 'peer listener; port 0 picks a free port (default: 127.0.0.1:7070)')
  .option('--advertise <host:port>', 'address other hosts use to reach this one (default: --listen)')
  .option('--peers <list>', 'comma-separated HOST:PORT of daemons to gossip with first')
  .addOption(new Option('--log-level <level>', 'log level').choices([...LOG_LEVELS]))
  .option('--criu <path>', 'CRIU binary (default: what criu/install installed, else criu on PATH)')
  .option('--shim <path>', 'job supervisor binary (default: build/zinc-shim of this installation)')
  .option('--cgroup-parent <path>', 'cgroup under which zinc puts its daemon, supervisors and jobs (default: zinc)')
  .option('--accept-domains <list>', 'domains whose jobs and migrations are accepted, or * (default: *)')
  .option('--gossip-interval <duration>', 'Name Dropper round length (default: 1s)')
  .option('--speed <factor>', 'relative CPU speed of this host (default: 1)')
  .option('--cores <n>', 'CPU cores offered to jobs (default: all)')
  .option('--failpoints <dir>', 'testing: pause at named protocol points while DIR/<name> exists')
  .showHelpAfterError();

program.parse();
const o = program.opts<Record<string, string | undefined>>();

const flags: Partial<ConfigInput> = {
  hostId: o.hostId,
  domain: o.domain,
  stateDir: o.stateDir,
  socket: o.socket,
  listen: o.listen,
  advertise: o.advertise,
  peers: o.peers === undefined ? undefined : o.peers.split(',').map((s) => s.trim()).filter(Boolean),
  logLevel: o.logLevel as ConfigInput['logLevel'],
  criu: o.criu,
  shim: o.shim,
  cgroupParent: o.cgroupParent,
  acceptDomains: o.acceptDomains === undefined ? undefined : o.acceptDomains.split(',').map((s) => s.trim()).filter(Boolean),
  gossipInterval: o.gossipInterval,
  speed: o.speed === undefined ? undefined : Number(o.speed),
  cores: o.cores === undefined ? undefined : Number(o.cores),
  failpoints: o.failpoints,
};

async function main(): Promise<void> {
  const config = loadConfig(flags, o.config);
  const daemon = new Zincd(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    daemon.log.info({ signal }, 'stopping');
    void daemon.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => undefined);
  await daemon.start();
}

main().catch((err: unknown) => {
  const line = err instanceof ZincError ? err.toUserLine() : errorMessage(err);
  process.stderr.write(`zincd: ${line}\n`);
  if (!(err instanceof ZincError)) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  process.exit(err instanceof ZincError && err.kind === 'invalid' ? 2 : 1);
});
