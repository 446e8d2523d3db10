/**
 * zincd's configuration: one zod schema for the config file and the flags alike. Flags override
 * the file; the file overrides defaults. Every field is documented in docs/config.md.
 */
import { cpus, hostname } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { z } from 'zod';
import { parseDuration, parseSize } from '../common/units.js';

/** Host ids and domain names go into GPIDs ("<host>.<seq>"), cgroup paths and file names. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** POSIX-ish account names (what `getent passwd` accepts from us). */
export const USER_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/;

export const nameSchema = (what: string) =>
  z.string().regex(NAME_RE, `${what} must be 1-63 letters, digits, '-' or '_' (no dots), starting with a letter or digit`);

const hostPort = z.string().refine((s) => parseHostPort(s) !== undefined, {
  message: 'must be HOST:PORT (IPv6 as [ADDR]:PORT), port 0-65535',
});

const duration = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (e.g. 500ms, 1s, 2m)` });
    return z.NEVER;
  }
  return ms;
});

export const sizeSchema = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const b = parseSize(v);
  if (b === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a size (e.g. 512M, 2G)` });
    return z.NEVER;
  }
  return b;
});

const domainList = z.array(z.union([z.literal('*'), nameSchema('domain')]));

const absPath = z.string().refine((p) => isAbsolute(p), { message: 'must be an absolute path' });

const relCgroup = z
  .string()
  .refine((p) => !isAbsolute(p) && !normalize(p).startsWith('..') && p.length > 0, {
    message: 'must be a relative cgroup path such as "zinc" or "zinc-lab/lab1/h1"',
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z
  .object({
    hostId: nameSchema('host id').default(() => hostname().split('.')[0]?.replace(/[^A-Za-z0-9_-]/g, '-') || 'host'),
    domain: nameSchema('domain').default('default'),
    stateDir: absPath.default('/var/lib/zinc'),
    socket: absPath.optional(),
    listen: hostPort.default('127.0.0.1:7070'),
    advertise: hostPort.optional(),
    peers: z.array(hostPort).default([]),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    criu: absPath.optional(),
    shim: absPath.optional(),
    cgroupParent: relCgroup.default('zinc'),
    /** Shorthand for both accept lists below (the setting of earlier versions). */
    acceptDomains: domainList.default(['*']),
    /** Domain trust (docs/security.md): who may place jobs here, who may migrate jobs in, and
     * where this host may send jobs (placement, forwarded submits, migrations). Own domain always. */
    acceptJobsFrom: domainList.optional(),
    acceptMigrationsFrom: domainList.optional(),
    sendJobsTo: domainList.default(['*']),
    /** Accounts for users of other domains: { DOMAIN or "*": { REMOTE_USER or "*": LOCAL_USER or "=" } }
     * ("=": the same name here). Users of this host's own domain keep their names. See docs/security.md. */
    userMap: z
      .record(
        nameSchema('domain').or(z.literal('*')),
        z.record(
          z.string().regex(USER_NAME_RE, 'user names are letters, digits, . _ - (or "*")').or(z.literal('*')),
          z.string().regex(USER_NAME_RE, 'must be a local user name or "="').or(z.literal('=')),
        ),
      )
      .default({}),
    gossipInterval: duration.default(1000),
    // The freshest copy of a live host's record is a few rounds old by chance (push-pull: at most
    // ~4 rounds at 6 hosts, ~7 at 1,000; see docs/name-dropper.md). These defaults keep live hosts
    // from being shown stale or declared dead by that lag.
    staleAfterRounds: z.number().int().positive().default(6),
    deadAfterRounds: z.number().int().positive().default(12),
    forgetAfterRounds: z.number().int().positive().default(60),
    speed: z.number().positive().max(1000).default(1),
    /** Test facility: directory of failpoint files (see daemon/common/failpoints.ts). */
    failpoints: absPath.optional(),
    cores: z.number().int().positive().max(4096).default(() => Math.max(1, cpus().length)),
    /** Mutual TLS between daemons (docs/security.md): CA bundle, this host's certificate and key. */
    tlsCa: absPath.optional(),
    tlsCert: absPath.optional(),
    tlsKey: absPath.optional(),
    /** Allow a plaintext peer listener on a non-loopback address (logged as a warning). */
    insecure: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!(c.staleAfterRounds < c.deadAfterRounds && c.deadAfterRounds < c.forgetAfterRounds)) {
      ctx.addIssue({ code: 'custom', message: 'need staleAfterRounds < deadAfterRounds < forgetAfterRounds' });
    }
    const tls = [c.tlsCa, c.tlsCert, c.tlsKey].filter((v) => v !== undefined).length;
    if (tls !== 0 && tls !== 3) ctx.addIssue({ code: 'custom', path: ['tlsCa'], message: 'give all three of tlsCa, tlsCert and tlsKey (--tls-ca, --tls-cert, --tls-key), or none' });
    if (tls === 3 && c.insecure) ctx.addIssue({ code: 'custom', path: ['insecure'], message: '--insecure cannot be combined with --tls-ca/--tls-cert/--tls-key' });
  });

export type ConfigInput = z.input<typeof configSchema>;
type Parsed = z.output<typeof configSchema>;

export interface Config extends Omit<Parsed, 'socket' | 'acceptJobsFrom' | 'acceptMigrationsFrom'> {
  socket: string;
  acceptJobsFrom: string[];
  acceptMigrationsFrom: string[];
  /** The address peers use to reach this host (advertise, else listen). */
  advertise: string | undefined;
}

export function finishConfig(p: Parsed): Config {
  return {
    ...p,
    socket: p.socket ?? join(p.stateDir, 'zincd.sock'),
    advertise: p.advertise,
    acceptJobsFrom: p.acceptJobsFrom ?? p.acceptDomains,
    acceptMigrationsFrom: p.acceptMigrationsFrom ?? p.acceptDomains,
  };
}

/** Is `host` (as in --listen) a loopback address, reachable only from this machine? */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function parseHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([^:\s\[\]]+):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? '', port };
}
