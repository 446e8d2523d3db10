#!/usr/bin/env node
/** zincd: the zinc host daemon. */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { ZincError, errorMessage } from './common/zinc-error.js';
import { readFileSync } from 'node:fs';
import { ConfigFileError } from './config/errors.js';
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
  .option('--socket <path>', 'local CLI socket, open to every user (default: <state-dir>/zincd.sock)')
  .option('--listen <host:port>', 'peer listener; port 0 picks a free port (default: 127.0.0.1:7070)')
  .option('--advertise <host:port>', 'address other hosts use to reach this one (default: --listen)')
  .option('--peers <list>', 'comma-separated HOST:PORT of daemons to gossip with first')
  .addOption(new Option('--log-level <level>', 'log level').choices([...LOG_LEVELS]))
  .option('--criu <path>', 'CRIU binary (default: what criu/install installed, else criu on PATH)')
  .option('--shim <path>', 'job supervisor binary (default: build/zinc-shim of this installation)')
  .option('--cgroup-parent <path>', 'cgroup under which zinc puts its daemon, supervisors and jobs (default: zinc)')
  .option('--accept-domains <list>', 'domains whose jobs and migrations are accepted, or * (default: *)')
  .option('--accept-jobs-from <list>', 'domains that may place jobs here, or * (default: --accept-domains)')
  .option('--accept-migrations-from <list>', 'domains that may migrate jobs in, or * (default: --accept-domains)')
  .option('--send-jobs-to <list>', 'domains this host may place or migrate jobs to, or * (default: *)')
  .option('--user-map <file>', 'JSON file: local accounts for users of other domains (docs/security.md)')
  .option('--gossip-interval <duration>', 'Name Dropper round length (default: 1s)')
  .option('--speed <factor>', 'relative CPU speed of this host (default: 1)')
  .option('--cores <n>', 'CPU cores offered to jobs (default: all)')
  .option('--tls-ca <file>', 'PEM bundle: this domain\'s CA and the CAs of trusted domains (mutual TLS; docs/security.md)')
  .option('--tls-cert <file>', 'this host\'s certificate (zinc tls cert create)')
  .option('--tls-key <file>', 'this host\'s private key')
  .option('--insecure', 'allow a plaintext peer listener on a non-loopback address (not recommended)')
  .option('--failpoints <dir>', 'testing: pause at named protocol points while DIR/<name> exists')
  .showHelpAfterError();

program.parse();
const o = program.opts<Record<string, string | undefined>>();
const insecureFlag = program.opts<{ insecure?: boolean }>().insecure;
const absolute = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(p));

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
  acceptDomains: list(o.acceptDomains),
  acceptJobsFrom: list(o.acceptJobsFrom),
  acceptMigrationsFrom: list(o.acceptMigrationsFrom),
  sendJobsTo: list(o.sendJobsTo),
  gossipInterval: o.gossipInterval,
  speed: o.speed === undefined ? undefined : Number(o.speed),
  cores: o.cores === undefined ? undefined : Number(o.cores),
  failpoints: o.failpoints,
  tlsCa: absolute(o.tlsCa),
  tlsCert: absolute(o.tlsCert),
  tlsKey: absolute(o.tlsKey),
  insecure: insecureFlag === true ? true : undefined,
};

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The --user-map file's content; the schema validates it with the rest of the config. */
function readUserMap(path: string): ConfigInput['userMap'] {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ConfigInput['userMap'];
  } catch (err) {
    throw new ConfigFileError(path, errorMessage(err));
  }
}

async function main(): Promise<void> {
  if (o.userMap !== undefined) flags.userMap = readUserMap(o.userMap);
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
  // SIGHUP re-reads the TLS files (certificate rotation); see docs/security.md.
  process.on('SIGHUP', () => daemon.reloadTls());
  await daemon.start();
}

main().catch((err: unknown) => {
  const line = err instanceof ZincError ? err.toUserLine() : errorMessage(err);
  process.stderr.write(`zincd: ${line}\n`);
  if (!(err instanceof ZincError)) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  process.exit(err instanceof ZincError && err.kind === 'invalid' ? 2 : 1);
});
