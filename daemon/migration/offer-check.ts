/**
 * What a destination checks in a MigrationOffer before it keeps anything: the offer comes from a
 * peer, perhaps of another domain, and what it says decides where this host connects to and what
 * it writes to disk. So every field is bounded and must agree with the others, the job's GPID must
 * belong to a plausible home, the source must be who the certificate says (when there is one), and
 * the address to pull from must be the one gossip knows for the source host: zincd never dials an
 * address just because a peer named it.
 */
import { z } from 'zod';
import type { MigrationOffer__Output } from '../../proto/generated/zinc/v1/MigrationOffer.js';
import { parseManifest } from '../checkpoint/archive-reader.js';
import type { Manifest } from '../checkpoint/manifest.js';
import { errorMessage } from '../common/zinc-error.js';
import { NAME_RE, parseHostPort } from '../config/schema.js';
import { parseGpid } from '../jobs/gpid.js';
import { jobRecordSchema, type JobRecord } from '../jobs/record.js';
import { describeCaller, type Caller } from '../security/caller.js';
import { OfferAddressError, OfferInvalidError } from './errors.js';
import type { IncomingLimits } from './limits.js';

/** What gossip knows about a host (discovery's record). */
export interface KnownHost {
  address: string;
  domain: string;
}

export interface OfferCheckContext {
  hostId: string;
  caller: Caller;
  limits: IncomingLimits;
  /** The gossip record of a host, if this host knows it. */
  known: (host: string) => KnownHost | undefined;
}

export interface CheckedOffer {
  preview: Manifest;
  job: JobRecord;
}

const name = z.string().regex(NAME_RE);

const offerSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,160}$/).refine((s) => !s.includes('..'), 'contains ".."'),
  gpid: z.string().max(80),
  fromHost: name,
  fromDomain: name,
  fromAddress: z.string().max(300).refine((a) => parseHostPort(a) !== undefined, 'not HOST:PORT'),
});

export function checkOffer(req: MigrationOffer__Output, c: OfferCheckContext): CheckedOffer {
  const from = req.fromHost && NAME_RE.test(req.fromHost) ? req.fromHost : describeCaller(c.caller);
  const id = typeof req.id === 'string' ? req.id.slice(0, 170) : '';
  const invalid = (detail: string) => new OfferInvalidError(id, from, detail);

  const fields = offerSchema.safeParse(req);
  if (!fields.success) {
    const i = fields.error.issues[0];
    throw invalid(`${i?.path.join('.') || 'offer'}: ${i?.message ?? 'invalid'}`);
  }
  const gpid = parseGpid(req.gpid);
  if (!gpid) throw invalid(`${JSON.stringify(req.gpid)} is not a GPID (HOST.N)`);
  // A migration id names the job it moves (the source makes it GPID-TIME); a peer cannot reuse
  // one id for two jobs.
  if (!req.id.startsWith(`${req.gpid}-`)) throw invalid(`id ${req.id} is not one of job ${req.gpid}'s`);
  if (req.fromHost === c.hostId) throw invalid('it comes from this host itself');

  // Who is calling: a verified peer must be the host (and domain) the offer names.
  if (c.caller.kind === 'peer' && (c.caller.host !== req.fromHost || c.caller.domain !== req.fromDomain)) {
    throw invalid(`it names ${req.fromHost} of ${req.fromDomain}, but the caller is ${describeCaller(c.caller)}`);
  }

  // Where this host will connect: only where gossip says the source host listens.
  const source = c.known(req.fromHost);
  if (!source || source.address !== req.fromAddress) throw new OfferAddressError(req.fromHost, req.fromAddress, source?.address);
  if (source.domain !== req.fromDomain) throw invalid(`it names domain ${req.fromDomain}, but gossip says ${req.fromHost} is in ${source.domain}`);

  // The GPID's home: this host, the source, or a host gossip knows. A made-up home would make
  // this host forward and report to nowhere.
  if (gpid.home !== c.hostId && gpid.home !== req.fromHost && !c.known(gpid.home)) {
    throw invalid(`job ${req.gpid}'s home ${gpid.home} is not a host this host knows`);
  }

  const L = c.limits;
  if (req.preview.length > L.maxPreviewBytes) throw invalid(`its manifest is ${req.preview.length} bytes (limit ${L.maxPreviewBytes})`);
  if (req.job.length > L.maxJobRecordBytes) throw invalid(`its job record is ${req.job.length} bytes (limit ${L.maxJobRecordBytes})`);
  const estimated = Number(req.estimatedBytes ?? 0);
  if (!Number.isFinite(estimated) || estimated < 0 || estimated > L.maxEstimatedBytes) throw invalid(`it announces ${estimated} bytes (limit ${L.maxEstimatedBytes})`);

  let preview: Manifest;
  try {
    preview = parseManifest(Buffer.from(req.preview).toString('utf8'), `migration offer from ${req.fromHost}`);
  } catch (err) {
    throw invalid(errorMessage(err));
  }
  let job: JobRecord;
  try {
    job = jobRecordSchema.parse(JSON.parse(Buffer.from(req.job).toString('utf8')));
  } catch (err) {
    throw invalid(`its job record: ${errorMessage(err).slice(0, 200)}`);
  }
  if (job.gpid !== req.gpid || preview.gpid !== req.gpid) throw invalid(`the job record or manifest is for another job than ${req.gpid}`);
  if (job.home !== gpid.home || preview.home !== gpid.home) throw invalid(`the job record or manifest gives another home than ${gpid.home}`);
  if (job.host !== req.fromHost || preview.sourceHost !== req.fromHost) throw invalid(`the job record or manifest says the job is on another host than ${req.fromHost}`);
  return { preview, job };
}

/** Post-copy: the page server must be on the source host, whose address gossip vouched for. */
export function checkLazyAddress(lazyAddress: string, fromAddress: string): boolean {
  if (!lazyAddress) return true;
  const lazy = parseHostPort(lazyAddress);
  const from = parseHostPort(fromAddress);
  return lazy !== undefined && from !== undefined && lazy.host === from.host;
}
