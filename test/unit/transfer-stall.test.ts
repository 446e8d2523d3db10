/**
 * The sending side of a migration (issue 10, section 6): the job is frozen while its archive is
 * served, so a destination that never fetches it, or stops reading it, must not keep it frozen.
 * A real Fetch stream on loopback; the client stops reading after the first chunk.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchChunk } from '../../proto/generated/zinc/v1/FetchChunk.js';
import type { MigrationPeerClient } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import type { MigrationRef__Output } from '../../proto/generated/zinc/v1/MigrationRef.js';
import { zincV1 } from '../../proto/loader.js';
import { makeManifest } from '../../daemon/checkpoint/checkpointer.js';
import type { Manifest } from '../../daemon/checkpoint/manifest.js';
import type { JobRecord } from '../../daemon/jobs/record.js';
import { TransferIdleError } from '../../daemon/migration/errors.js';
import { Outlet } from '../../daemon/migration/outlet.js';
import { serveArchive } from '../../daemon/migration/transfer.js';

const SIZE = 96 * 1024 * 1024;
const STALL_MS = 400;
let dir: string;
let manifest: Manifest;
let server: grpc.Server;
let client: MigrationPeerClient;
let served: Promise<number> | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zinc-stall-'));
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'big'), '');
  truncateSync(join(dir, 'files', 'big'), SIZE); // sparse: reads as zeros, costs no disk
  const job = { gpid: 'h-1.1', name: 'x', home: 'h-1', spec: { argv: ['x'], env: [], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' }, cwd: '/', submittedAt: 0, hops: [], migrations: 0 } as unknown as JobRecord;
  manifest = makeManifest({ id: 'm', job, filesDir: dir, host: 'h-1', domain: 'd', criuVersion: '4.1', leaveRunning: true, lazy: false, files: [{ path: 'files/big', type: 'file', size: SIZE, mode: 0o644, mtimeMs: 0 }], external: [] });
  manifest.totalBytes = SIZE;
  server = new grpc.Server();
  server.addService(zincV1().MigrationPeer.service, {
    Fetch: (call: grpc.ServerWritableStream<MigrationRef__Output, FetchChunk>) => {
      served = serveArchive(call, dir, manifest, () => undefined, async () => undefined, async () => undefined, STALL_MS);
      served.catch(() => undefined);
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  client = new (zincV1().MigrationPeer)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  server?.forceShutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serving an archive to a silent destination', () => {
  it('gives up when the destination stops reading', async () => {
    const stream = client.fetch({ id: 'h-1.1-x' });
    stream.on('error', () => undefined);
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.pause(); // and never resume: HTTP/2 flow control stops the sender
    const t0 = Date.now();
    await expect(served).rejects.toBeInstanceOf(TransferIdleError);
    expect(Date.now() - t0).toBeLessThan(STALL_MS + 5000);
    stream.cancel();
  });

  it('an outlet nobody fetches from stalls, so the migration can roll back', async () => {
    const outlet = new Outlet('h-1.1-y', 'dst-1', 100);
    outlet.open({ dir, manifest, onBytes: () => undefined, beforeCommit: async () => undefined, halfway: async () => undefined });
    const err = await outlet.stalled;
    expect(err).toBeInstanceOf(TransferIdleError);
    expect(err.message).toMatch(/never fetched/);
  });

  it('an outlet that is fetched in time does not stall', async () => {
    const outlet = new Outlet('h-1.1-z', 'dst-1', 100);
    outlet.claim();
    outlet.open({ dir, manifest, onBytes: () => undefined, beforeCommit: async () => undefined, halfway: async () => undefined });
    const r = await Promise.race([outlet.stalled, new Promise((res) => setTimeout(() => res('no stall'), 300))]);
    expect(r).toBe('no stall');
    outlet.close();
  });
});
