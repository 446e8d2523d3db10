/**
 * Issue 4 measurement: archive streaming throughput on loopback — zinc's pull-based gRPC stream
 * (the migration Fetch path) against a raw TCP socket carrying the same tar stream, in the same
 * run. Goal ≥ 0.7×. Also the full receive path (verify sha256 and write to disk).
 */
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, it } from 'vitest';
import { zincV1 } from '../../proto/loader.js';
import type { MigrationPeerHandlers } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import { extractCheckpoint } from '../../daemon/checkpoint/archive-reader.js';
import { archiveSize, packCheckpoint } from '../../daemon/checkpoint/archive-writer.js';
import { listTree } from '../../daemon/checkpoint/hashing.js';
import { MANIFEST_FORMAT, type Manifest } from '../../daemon/checkpoint/manifest.js';
import { CHANNEL_OPTIONS, SERVER_OPTIONS } from '../../daemon/grpc/constants.js';
import { bytesOf, serveArchive } from '../../daemon/migration/transfer.js';
import { median, printTable, saveResults } from './report.js';

const MIB = Number(process.env.ZINC_BENCH_STREAM_MIB ?? 512);
const REPS = 3;

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

describe('archive streaming vs raw TCP (loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zinc-bench-stream-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures', async () => {
    mkdirSync(join(dir, 'ck', 'images'), { recursive: true });
    mkdirSync(join(dir, 'ck', 'files'), { recursive: true });
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    const big = Buffer.concat(Array.from({ length: MIB }, () => block));
    writeFileSync(join(dir, 'ck', 'images', 'pages-1.img'), big);
    writeFileSync(join(dir, 'ck', 'files', 'stdout'), 'x\n');
    const files = await listTree(join(dir, 'ck'), ['images', 'files'], true);
    const m = { format: MANIFEST_FORMAT, id: 'c1', gpid: 'h.1', name: 'b', home: 'h', spec: { argv: ['x'], env: [], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' }, cwd: '/', submittedAt: 0, filesDir: '/x', sourceHost: 'h', sourceDomain: 'd', createdAt: 0, kernel: 'k', arch: 'x64', cpuFlags: [], criuVersion: '4.1.1', rootPid: 1, leaveRunning: false, lazy: false, hops: [], migrations: 0, epoch: 0, files, external: [], totalBytes: files.reduce((n, f) => n + f.size, 0) } satisfies Manifest;
    const bytes = archiveSize(m);

    // Raw TCP: the same tar stream through a plain socket.
    const raw: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const server = createServer((s) => void pipeline(packCheckpoint(join(dir, 'ck'), m), s));
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
      const port = (server.address() as { port: number }).port;
      const t0 = performance.now();
      await pipeline(connect(port, '127.0.0.1'), sink());
      raw.push(performance.now() - t0);
      server.close();
    }

    // zinc: a gRPC server streams (Fetch), a client pulls with zinc's channel options.
    const server = new grpc.Server(SERVER_OPTIONS);
    const handlers: Partial<MigrationPeerHandlers> = {
      Fetch: (call) => void serveArchive(call, join(dir, 'ck'), m, () => undefined, async () => undefined),
    };
    server.addService(zincV1().MigrationPeer.service, handlers as MigrationPeerHandlers);
    const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    const client = new (zincV1().MigrationPeer)(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    const zinc: number[] = [];
    const full: number[] = [];
    for (let r = 0; r < REPS; r++) {
      let t0 = performance.now();
      await pipeline(bytesOf(client.fetch({ id: 'x' })), sink());
      zinc.push(performance.now() - t0);
      rmSync(join(dir, 'out'), { recursive: true, force: true });
      t0 = performance.now();
      await extractCheckpoint(bytesOf(client.fetch({ id: 'x' })), { source: 'bench', onManifest: async () => join(dir, 'out') });
      full.push(performance.now() - t0);
    }
    client.close();
    server.forceShutdown();

    const rate = (ms: number) => bytes / 1048576 / (ms / 1000);
    const rawRate = rate(median(raw));
    printTable(`archive stream of ${MIB} MiB on loopback (MiB/s, median of ${REPS}; goal ≥ 0.7× raw)`, ['path', 'MiB/s', 'ratio'], [
      ['raw TCP socket (floor)', rawRate, 1],
      ['zinc gRPC Fetch (pull, 4 MiB window)', rate(median(zinc)), rate(median(zinc)) / rawRate],
      ['zinc Fetch + verify sha256 + write', rate(median(full)), rate(median(full)) / rawRate],
    ]);
    saveResults('stream', { MIB, raw, zinc, full });
  }, 600_000);
});
