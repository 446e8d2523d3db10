/**
 * Incoming migrations from peers (issue 10, section 6): every offer field is validated, the
 * return address must be the source's gossiped one, accepted offers are limited (in total and per
 * source host) and expire without a Receive, duplicates are refused, and a source that goes silent
 * mid-transfer is dropped. A real MigrationPeer service on loopback, a real MigrationStore on a
 * temp dir; the job manager and restorer behind it are faked (no CRIU needed).
 */
import * as grpc from '@grpc/grpc-js';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationOffer } from '../../proto/generated/zinc/v1/MigrationOffer.js';
import type { MigrationPeerClient } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import { zincV1 } from '../../proto/loader.js';
import { makeManifest } from '../../daemon/checkpoint/checkpointer.js';
import { fromServiceError, isServiceError } from '../../daemon/grpc/status.js';
import type { JobRecord } from '../../daemon/jobs/record.js';
import { MigrationDestination, type DestinationDeps } from '../../daemon/migration/destination.js';
import { MigrationStore } from '../../daemon/migration/records.js';
import { PeerPool, unary } from '../../daemon/peers/pool.js';
import { Authorizer } from '../../daemon/security/authz.js';
import type { Caller } from '../../daemon/security/caller.js';
import { Callers } from '../../daemon/security/callers.js';
import type { ServiceContext } from '../../daemon/services/context.js';
import { MigrationService } from '../../daemon/services/migration-service.js';
import { StateLayout } from '../../daemon/store/layout.js';

const HERE = 'dst-1';
const LIMITS = { maxActive: 6, maxActivePerHost: 3, offerTtlMs: 400, firstByteTimeoutMs: 600, idleTimeoutMs: 400, maxPreviewBytes: 1024 * 1024 };

let root: string;
let store: MigrationStore;
let dest: MigrationDestination;
let server: grpc.Server;
let client: MigrationPeerClient;
const pool = new PeerPool();
const logged: string[] = [];
const jobsHere = new Map<string, { state: string }>();
const cancelled: string[] = [];
/** Gossip as this host knows it: host → address, domain. */
const gossip = new Map<string, { address: string; domain: string }>();
let as: Caller | undefined;
/** A "source" that accepts Fetch and then never sends anything. */
let silent: grpc.Server;
let silentAddress = '';

async function listen(s: grpc.Server): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return `127.0.0.1:${port}`;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zinc-offer-limits-'));
  const layout = new StateLayout(root);
  store = new MigrationStore(layout);
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });

  silent = new grpc.Server();
  silent.addService(zincV1().MigrationPeer.service, {
    Fetch: () => undefined, // opened, never written to, never ended
  } as unknown as grpc.UntypedServiceImplementation);
  silentAddress = await listen(silent);
  for (let i = 1; i <= 4; i++) gossip.set(`src-${i}`, { address: i === 1 ? silentAddress : `127.0.0.1:${7000 + i}`, domain: 'd2' });
  gossip.set('home-1', { address: '127.0.0.1:7100', domain: 'd2' });

  const deps = {
    hostId: HERE,
    domain: 'd1',
    config: { hostId: HERE, domain: 'd1', acceptDomains: ['*'], acceptJobsFrom: ['*'], acceptMigrationsFrom: ['*'], sendJobsTo: ['*'] },
    layout,
    jobs: { get: (g: string) => jobsHere.get(g) },
    restorer: { preflight: async () => [], prepare: async (g: string) => ({ cancel: () => void cancelled.push(g) }) },
    checkpoints: {},
    pool,
    store,
    isDraining: () => false,
    criu: {},
    shimPath: '/nonexistent',
    failpoints: { hit: async () => undefined },
    known: (h: string) => gossip.get(h),
    limits: LIMITS,
    log,
  } as unknown as DestinationDeps;
  dest = new MigrationDestination(deps);

  const real = new Callers({ local: undefined, insecure: true });
  const callers = { of: (call: Parameters<Callers['of']>[0]) => as ?? real.of(call) } as unknown as Callers;
  const ctx = { hostId: HERE, domain: 'd1', log, callers, auth: new Authorizer({ callers, hostId: HERE, domain: 'd1', userMap: {} }) } as unknown as ServiceContext;
  server = new grpc.Server();
  new MigrationService(ctx, { outletFor: () => undefined } as unknown as ConstructorParameters<typeof MigrationService>[1], dest).addToServer(server);
  client = new (zincV1().MigrationPeer)(await listen(server), grpc.credentials.createInsecure());
});

afterEach(async () => {
  as = undefined;
  jobsHere.clear();
  // Drop whatever a test left accepted, so each test starts with empty limits.
  for (const id of migrationDirs()) await dest.abort(id, 'test cleanup').catch(() => undefined);
});

afterAll(() => {
  dest?.stop();
  client?.close();
  pool.close();
  server?.forceShutdown();
  silent?.forceShutdown();
  if (root) rmSync(root, { recursive: true, force: true });
});

function migrationDirs(): string[] {
  return existsSync(join(root, 'migrations')) ? readdirSync(join(root, 'migrations')) : [];
}

let n = 0;
function offer(from = 'src-2', over: Partial<MigrationOffer> = {}, jobOver: Partial<JobRecord> = {}): MigrationOffer {
  n++;
  const gpid = `home-1.${n}`;
  const job: JobRecord = {
    format: 1,
    gpid,
    name: 'sim',
    home: 'home-1',
    host: from,
    location: from,
    state: 'running',
    spec: { argv: ['/bin/sleep', '100'], env: [], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' },
    cwd: '/tmp',
    submittedAt: Date.now(),
    events: [],
    hops: [from],
    migrations: 0,
    epoch: 0,
    checkpoints: [],
    ...jobOver,
  };
  const manifest = makeManifest({ id: 'preview', job, filesDir: join(root, 'jobs', gpid, 'files'), host: from, domain: 'd2', criuVersion: '4.1', leaveRunning: true, lazy: false, files: [], external: [] });
  return {
    id: `${job.gpid}-${n.toString(36)}`,
    gpid: job.gpid,
    fromHost: from,
    fromDomain: 'd2',
    fromAddress: gossip.get(from)?.address ?? '127.0.0.1:1',
    preview: Buffer.from(JSON.stringify(manifest)),
    job: Buffer.from(JSON.stringify(job)),
    estimatedBytes: 1024,
    lazy: false,
    ...over,
  };
}

async function send(o: MigrationOffer): Promise<string> {
  try {
    await unary(client, 'offer', o, 5000);
    return 'OK';
  } catch (err) {
    if (isServiceError(err)) return fromServiceError(err).code;
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MigrationPeer.Offer limits', () => {
  it('accepts a valid offer, and drops it (record and directory) when no Receive follows', async () => {
    const o = offer();
    expect(await send(o)).toBe('OK');
    expect(migrationDirs()).toEqual([o.id]);
    expect(dest.status(String(o.id)).phase).toBe('accepted');
    await sleep(LIMITS.offerTtlMs + 300);
    expect(migrationDirs()).toEqual([]);
    expect(dest.status(String(o.id)).phase).toBe('unknown');
    expect(logged.some((l) => l.includes('accepted offer expired'))).toBe(true);
  });

  it('a flood of offers keeps at most the per-host and total limits on disk', async () => {
    const fromOne = await Promise.all(Array.from({ length: 50 }, () => send(offer('src-2'))));
    expect(fromOne.filter((c) => c === 'OK')).toHaveLength(LIMITS.maxActivePerHost);
    expect(fromOne.filter((c) => c === 'MIGRATION_LIMIT')).toHaveLength(50 - LIMITS.maxActivePerHost);
    const fromOthers = [...(await Promise.all(Array.from({ length: 10 }, () => send(offer('src-3'))))), ...(await Promise.all(Array.from({ length: 10 }, () => send(offer('src-4')))))];
    expect(fromOthers.filter((c) => c === 'OK')).toHaveLength(LIMITS.maxActive - LIMITS.maxActivePerHost);
    expect(migrationDirs()).toHaveLength(LIMITS.maxActive);
    expect(logged.some((l) => l.includes('"code":"MIGRATION_LIMIT"') && l.includes('peer request refused'))).toBe(true);
    // They expire, and the slots come back.
    await sleep(LIMITS.offerTtlMs + 300);
    expect(migrationDirs()).toEqual([]);
    expect(await send(offer('src-2'))).toBe('OK');
  });

  it('pulls only from the address gossip knows for the source host', async () => {
    expect(await send(offer('src-2', { fromAddress: '10.99.0.1:7070' }))).toBe('OFFER_ADDRESS_MISMATCH');
    expect(await send(offer('stranger-9', { fromAddress: '127.0.0.1:7999' }))).toBe('OFFER_ADDRESS_MISMATCH');
    expect(await send(offer('src-2', { fromDomain: 'd3' }))).toBe('OFFER_INVALID');
    expect(migrationDirs()).toEqual([]);
  });

  it('validates every field', async () => {
    const codes = await Promise.all([
      send(offer('src-2', { fromDomain: '' })),
      send(offer('src-2', { id: '../../etc' })),
      send(offer('src-2', { id: 'other.7-1' })),
      send(offer('src-2', { gpid: 'no-dot', id: 'no-dot-1' })),
      send(offer('src-2', { preview: Buffer.alloc(2 * 1024 * 1024, 32) })),
      send(offer('src-2', { job: Buffer.from('{not json') })),
      send(offer('src-2', { estimatedBytes: 2 ** 50 })),
      send(offer('src-2', {}, { home: 'elsewhere-3' })),
      send(offer('src-2', {}, { host: 'src-3' })),
    ]);
    expect(codes).toEqual(Array(codes.length).fill('OFFER_INVALID'));
    // A GPID whose home no one has heard of.
    const o = offer();
    const fake = { ...o, gpid: 'nowhere-7.1', id: 'nowhere-7.1-x' };
    expect(await send(fake)).toBe('OFFER_INVALID');
    expect(migrationDirs()).toEqual([]);
  });

  it('refuses a job already being received here, or already running here', async () => {
    const first = offer();
    expect(await send(first)).toBe('OK');
    expect(await send({ ...first, id: `${first.gpid}-again` })).toBe('MIGRATION_DUPLICATE');
    const running = offer();
    jobsHere.set(String(running.gpid), { state: 'running' });
    expect(await send(running)).toBe('MIGRATION_DUPLICATE');
    // The same offer again (a retry) is answered, not duplicated.
    expect(await send(first)).toBe('OK');
    expect(migrationDirs()).toEqual([first.id]);
  });

  it('from a verified peer, believes only what its certificate says', async () => {
    as = { kind: 'peer', host: 'src-3', domain: 'd2', address: '127.0.0.1:1' };
    expect(await send(offer('src-2'))).toBe('OFFER_INVALID');
    expect(await send(offer('src-3'))).toBe('OK');
  });
});

describe('silent peers', () => {
  it('a source that opens the transfer and goes silent is dropped after the first-byte timeout', async () => {
    const o = offer('src-1');
    expect(await send(o)).toBe('OK');
    const t0 = Date.now();
    const code = await unary(client, 'receive', { id: o.id, job: o.job, lazyAddress: '' }, 10_000).then(
      () => 'OK',
      (err: unknown) => (isServiceError(err) ? fromServiceError(err).code : String(err)),
    );
    expect(code).toBe('TRANSFER_IDLE');
    expect(Date.now() - t0).toBeLessThan(LIMITS.firstByteTimeoutMs + 2000);
    expect(dest.status(String(o.id)).phase).toBe('aborted');
    expect(cancelled).toContain(o.gpid);
    expect(logged.some((l) => l.includes('source went silent'))).toBe(true);
  });

  it("refuses a page server that is not on the source's host", async () => {
    const o = offer('src-1');
    expect(await send(o)).toBe('OK');
    const code = await unary(client, 'receive', { id: o.id, job: o.job, lazyAddress: '10.1.2.3:9999' }, 5000).then(
      () => 'OK',
      (err: unknown) => (isServiceError(err) ? fromServiceError(err).code : String(err)),
    );
    expect(code).toBe('OFFER_INVALID');
  });
});
