/**
 * What the home host accepts in a Jobs.Report. A report turns into a forwarding record on disk,
 * and every record homed here counts when the daemon restarts (the GPID sequence resumes above
 * the highest one found), so a report about a GPID this host never issued could make it hand the
 * same GPID out again. A report is therefore checked before it is applied:
 * - its fields are well-formed and bounded (REPORT_LIMITS);
 * - its GPID is homed here and its sequence number was issued here (<= the current counter);
 * - when the caller is a verified peer, it is the host the report says the job is on.
 * An anonymous peer (a listener without TLS) cannot be placed, so only the content is checked.
 * Nothing here moves the sequence counter.
 */
import { z } from 'zod';
import type { JobInfo } from '../../proto/generated/zinc/v1/JobInfo.js';
import { NAME_RE } from '../config/schema.js';
import { parseGpid } from '../jobs/gpid.js';
import { describeCaller, type Caller } from '../security/caller.js';
import { ReportInvalidError, ReportRefusedError } from './errors.js';

/** Bounds on one report's fields. A report is kept on disk as long as the job is known, so each
 * field is limited to what a real job can have (Linux's ARG_MAX is 2 MiB by default). */
export const REPORT_LIMITS = {
  /** Longest text field (name, reason, cwd, user). */
  maxTextChars: 4096,
  /** argv and env together, entries and characters. */
  maxArgEntries: 65_536,
  maxArgChars: 2 * 1024 * 1024,
  /** Hosts the job has passed through. */
  maxHops: 10_000,
} as const;

const L = REPORT_LIMITS;
const text = z.string().max(L.maxTextChars);
const hostId = z.string().regex(NAME_RE, 'not a host id');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const reportSchema = z
  .object({
    gpid: z.string().max(80),
    name: text,
    host: hostId,
    cwd: text,
    reason: text,
    hops: z.array(hostId).max(L.maxHops),
    migrations: count.max(L.maxHops),
    epoch: count,
    submittedAtMs: count,
    startedAtMs: count,
    endedAtMs: count,
    spec: z
      .object({
        argv: z.array(z.string()).max(L.maxArgEntries),
        env: z.array(z.string()).max(L.maxArgEntries),
        cwd: text,
        user: z.string().max(64),
      })
      .loose()
      .nullable(),
  })
  .loose()
  .superRefine((r, ctx) => {
    const args = [...(r.spec?.argv ?? []), ...(r.spec?.env ?? [])];
    if (args.length > L.maxArgEntries) ctx.addIssue({ code: 'custom', message: `more than ${L.maxArgEntries} argv and env entries` });
    const chars = args.reduce((n, a) => n + a.length, 0);
    if (chars > L.maxArgChars) ctx.addIssue({ code: 'custom', message: `argv and env exceed ${L.maxArgChars} characters` });
  });

export interface ReportCheckContext {
  hostId: string;
  /** The highest GPID sequence number this host has issued. */
  issuedSeq: number;
  caller: Caller;
  /** Does this host keep a forwarding record (state moved) for the GPID? */
  forwards: (gpid: string) => boolean;
}

/** Throws ReportInvalidError or ReportRefusedError; returns the report when it may be applied. */
export function checkReport(info: JobInfo, c: ReportCheckContext): JobInfo {
  const from = describeCaller(c.caller);
  const gpid = typeof info.gpid === 'string' ? info.gpid.slice(0, 80) : '';
  // Reports are daemon-to-daemon; a local process other than root has no business sending one.
  if (c.caller.kind === 'local' && c.caller.uid !== 0) throw new ReportRefusedError(gpid, from, 'reports come from zincd peers, not from local users');
  const parsed = reportSchema.safeParse({ ...info, submittedAtMs: Number(info.submittedAtMs ?? 0), startedAtMs: Number(info.startedAtMs ?? 0), endedAtMs: Number(info.endedAtMs ?? 0) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportInvalidError(gpid, from, `${issue?.path.join('.') || 'report'}: ${issue?.message ?? 'invalid'}`);
  }
  const id = parseGpid(parsed.data.gpid);
  if (!id) throw new ReportInvalidError(gpid, from, 'not a GPID (HOST.N)');
  // A host the job passed through hears of its end too; it must still hold a forwarding record.
  if (id.home !== c.hostId && !c.forwards(parsed.data.gpid)) throw new ReportRefusedError(gpid, from, `its home is ${id.home}, not ${c.hostId}, and the job never ran here`);
  if (id.home === c.hostId && id.seq > c.issuedSeq) throw new ReportRefusedError(gpid, from, `${c.hostId} has not issued that GPID (its sequence is at ${c.issuedSeq})`);
  if (c.caller.kind === 'peer' && c.caller.host !== parsed.data.host) {
    throw new ReportRefusedError(gpid, from, `the report says the job is on ${parsed.data.host}; a host may only report jobs it runs`);
  }
  return info;
}
