/**
 * `zinc tls ca create` and `zinc tls cert create`: a CA per domain and a certificate per host, in
 * the shape of `nomad tls ca create / cert create`. The X.509 library is loaded only here (dynamic
 * import), so every other command starts as fast as before. See docs/security.md.
 */
import type { Command } from 'commander';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { NAME_RE } from '../../daemon/config/schema.js';
import { caCertFile, caKeyFile, hostCertFile, hostKeyFile, readCa, writePemPair } from '../../daemon/security/pki-files.js';
import { action, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function checkName(what: string, v: string): string {
  if (!NAME_RE.test(v)) throw new UsageError(`invalid ${what} "${v}"`, `A ${what} is 1-63 letters, digits, '-' or '_', as in zincd --${what === 'host' ? 'host-id' : what}`);
  return v;
}

function checkDays(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 36500) throw new UsageError(`invalid --days "${v}"`, 'Give a whole number of days, 1 to 36500');
  return n;
}

export function register(program: Command, _ctx: CliContext): void {
  const tls = program.command('tls').description('create a CA per domain and host certificates for mutual TLS between daemons');
  const ca = tls.command('ca').description('certificate authority of a domain');
  ca.command('create')
    .description('create DOMAIN-ca.pem and DOMAIN-ca-key.pem (ECDSA P-256, CA:true, pathlen 0)')
    .requiredOption('--domain <name>', 'the administrative domain this CA speaks for')
    .option('--dir <dir>', 'where to write the files (default: .)', '.')
    .option('--days <n>', 'validity in days (default: 1825)')
    .option('--force', 'overwrite existing files')
    .action(
      action(async (o: { domain: string; dir: string; days?: string; force?: boolean }) => {
        const domain = checkName('domain', o.domain);
        const days = checkDays(o.days, 1825);
        const dir = resolve(o.dir);
        const { createCa } = await import('../../daemon/security/pki.js');
        const pair = await createCa(domain, days);
        writePemPair(pair, caCertFile(dir, domain), caKeyFile(dir, domain), dir, o.force === true);
        process.stdout.write(`${caCertFile(dir, domain)}\n${caKeyFile(dir, domain)}  (keep it offline; it can mint hosts of ${domain})\n`);
      }),
    );
  const cert = tls.command('cert').description('host certificates');
  cert
    .command('create')
    .description('create DOMAIN-HOST.pem and DOMAIN-HOST-key.pem, signed by the domain\'s CA (server and client auth)')
    .requiredOption('--domain <name>', 'the host\'s domain (zincd --domain)')
    .requiredOption('--host <id>', 'the host id (zincd --host-id)')
    .option('--ip <addr>', 'an IP address of the host (repeatable)', collect, [])
    .option('--dns <name>', 'a DNS name of the host (repeatable)', collect, [])
    .option('--ca-dir <dir>', 'where DOMAIN-ca.pem and DOMAIN-ca-key.pem are (default: .)', '.')
    .option('--dir <dir>', 'where to write the files (default: .)', '.')
    .option('--days <n>', 'validity in days (default: 365)')
    .option('--force', 'overwrite existing files')
    .action(
      action(async (o: { domain: string; host: string; ip: string[]; dns: string[]; caDir: string; dir: string; days?: string; force?: boolean }) => {
        const domain = checkName('domain', o.domain);
        const host = checkName('host', o.host);
        for (const ip of o.ip) if (isIP(ip) === 0) throw new UsageError(`invalid --ip "${ip}"`, 'Give an IPv4 or IPv6 address, e.g. --ip 10.0.0.1');
        for (const d of o.dns) if (!/^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(d)) throw new UsageError(`invalid --dns "${d}"`, 'Give a DNS name such as node1.example.org');
        const days = checkDays(o.days, 365);
        const dir = resolve(o.dir);
        const caPair = readCa(resolve(o.caDir), domain);
        const { createHostCert } = await import('../../daemon/security/pki.js');
        const pair = await createHostCert(caPair, { domain, host, ips: o.ip, dns: o.dns, days });
        writePemPair(pair, hostCertFile(dir, domain, host), hostKeyFile(dir, domain, host), dir, o.force === true);
        process.stdout.write(`${hostCertFile(dir, domain, host)}\n${hostKeyFile(dir, domain, host)}\n`);
      }),
    );
}
