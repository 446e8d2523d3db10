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
    acceptDomains: z.array(z.union([z.literal('*'), nameSchema('domain')])).default(['*']),
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
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!(c.staleAfterRounds < c.deadAfterRounds && c.deadAfterRounds < c.forgetAfterRounds)) {
      ctx.addIssue({ code: 'custom', message: 'need staleAfterRounds < deadAfterRounds < forgetAfterRounds' });
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
type Parsed = z.output<typeof configSchema>;

export interface Config extends Omit<Parsed, 'socket'> {
  socket: string;
  /** The address peers use to reach this host (advertise, else listen). */
  advertise: string | undefined;
}

export function finishConfig(p: Parsed): Config {
  return { ...p, socket: p.socket ?? join(p.stateDir, 'zincd.sock'), advertise: p.advertise };
}

export function parseHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([^:\s\[\]]+):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? '', port };
}
