/**
 * Issue 10 measurement: what mutual TLS costs, against plaintext, in the same run.
 *  - archive stream throughput on loopback: zinc's Fetch through zincd's TLS listener
 *    (daemon/security/peer-listener.ts) and TLS channel, against the same over plaintext;
 *  - a 256 MiB migration inside a domain (LAN) on a lab with TLS and on one without (goal: TLS
 *    costs ≤ 10 %);
 *  - submit latency with forwarding (entry host → another host of its domain), warm channels.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, it } from 'vitest';
import { zincV1 } from '../../proto/loader.js';
import type { MigrationPeerHandlers } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import { archiveSize } from '../../daemon/checkpoint/archive-writer.js';
import { listTree } from '../../daemon/checkpoint/hashing.js';
import { MANIFEST_FORMAT, type Manifest } from '../../daemon/checkpoint/manifest.js';
import { CHANNEL_OPTIONS, SERVER_OPTIONS } from '../../daemon/grpc/constants.js';
import { peerChannelCredentials } from '../../daemon/grpc/credentials.js';
import { bytesOf, serveArchive } from '../../daemon/migration/transfer.js';
import { createLogger } from '../../daemon/log.js';
import { PeerListener } from '../../daemon/security/peer-listener.js';
import { createCa, createHostCert } from '../../daemon/security/pki.js';
import { caCertFile, hostCertFile, hostKeyFile, writePemPair } from '../../daemon/security/pki-files.js';
import { loadTlsMaterial, type TlsMaterial } from '../../daemon/security/tls-files.js';
import { ZincClient } from '../../cli/client.js';
import { waitUntil } from '../helpers/daemon.js';
import { missing, ROOT, titled } from '../helpers/env.js';
import { jobFile, upLab, zincJson, zincOk, type Lab } from '../helpers/lab.js';
import { median, percentile, printTable, saveResults } from './report.js';

const MIB = Number(process.env.ZINC_BENCH_STREAM_MIB ?? 512);
const REPS = Number(process.env.ZINC_BENCH_REPS ?? 3);
const SUBMITS = 30;
const TESTJOB = join(ROOT, 'build', 'zinc-testjob');
const skip = missing({ root: true, criu: true });
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

interface Summary {
  totalMs: number;
  downtimeMs: number;
}

async function pki(dir: string): Promise<{ server: TlsMaterial; client: TlsMaterial }> {
  const ca = await createCa('b', 1);
  writePemPair(ca, caCertFile(dir, 'b'), join(dir, 'b-ca-key.pem'), dir, true);
  for (const h of ['s', 'c']) writePemPair(await createHostCert(ca, { domain: 'b', host: h, ips: ['127.0.0.1'], dns: [], days: 1 }), hostCertFile(dir, 'b', h), hostKeyFile(dir, 'b', h), dir, true);
  const of = (h: string) => loadTlsMaterial({ ca: caCertFile(dir, 'b'), cert: hostCertFile(dir, 'b', h), key: hostKeyFile(dir, 'b', h) }, h, 'b');
  return { server: of('s'), client: of('c') };
}

async function streamRates(dir: string): Promise<{ plain: number[]; tls: number[]; bytes: number }> {
  mkdirSync(join(dir, 'ck', 'images'), { recursive: true });
  mkdirSync(join(dir, 'ck', 'files'), { recursive: true });
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  writeFileSync(join(dir, 'ck', 'images', 'pages-1.img'), Buffer.concat(Array.from({ length: MIB }, () => block)));
  writeFileSync(join(dir, 'ck', 'files', 'stdout'), 'x\n');
  const files = await listTree(join(dir, 'ck'), ['images', 'files'], true);
  const m = { format: MANIFEST_FORMAT, id: 'c1', gpid: 'h.1', name: 'b', home: 'h', spec: { argv: ['x'], env: [], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' }, cwd: '/', submittedAt: 0, filesDir: '/x', sourceHost: 'h', sourceDomain: 'd', createdAt: 0, kernel: 'k', arch: 'x64', cpuFlags: [], criuVersion: '4.1.1', rootPid: 1, leaveRunning: false, lazy: false, hops: [], migrations: 0, epoch: 0, files, external: [], totalBytes: files.reduce((n, f) => n + f.size, 0) } satisfies Manifest;
  const handlers: Partial<MigrationPeerHandlers> = { Fetch: (call) => void serveArchive(call, join(dir, 'ck'), m, () => undefined, async () => undefined) };
  const tls = await pki(join(dir, 'pki'));
  const out = { plain: [] as number[], tls: [] as number[], bytes: archiveSize(m) };
  const ends: Array<{ mode: 'plain' | 'tls'; client: InstanceType<ReturnType<typeof zincV1>['MigrationPeer']>; close: () => void }> = [];
  for (const mode of ['plain', 'tls'] as const) {
    const server = new grpc.Server(SERVER_OPTIONS);
    server.addService(zincV1().MigrationPeer.service, handlers as MigrationPeerHandlers);
    let port: number;
    let listener: PeerListener | undefined;
    if (mode === 'tls') {
      // zincd's own TLS path: node:tls terminator, connections injected into the gRPC server.
      listener = new PeerListener(tls.server, server.createConnectionInjector(grpc.ServerCredentials.createInsecure()), createLogger('silent', {}));
      port = await listener.listen('127.0.0.1', 0);
    } else {
      port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    }
    const creds = peerChannelCredentials(mode === 'tls' ? tls.client : undefined, mode === 'tls' ? { host: 's', domain: 'b' } : undefined);
    const client = new (zincV1().MigrationPeer)(`127.0.0.1:${port}`, creds, { ...CHANNEL_OPTIONS, ...(mode === 'tls' ? { 'grpc.ssl_target_name_override': 'zinc' } : {}) });
    ends.push({ mode, client, close: () => { client.close(); server.forceShutdown(); listener?.close(); } });
  }
  // Interleaved, so that a change in the machine's load hits both alike.
  for (let r = 0; r < REPS; r++) {
    for (const e of ends) {
      const t0 = performance.now();
      await pipeline(bytesOf(e.client.fetch({ id: 'x' })), sink());
      out[e.mode].push(performance.now() - t0);
    }
  }
  for (const e of ends) e.close();
  return out;
}

interface LabFigures {
  migrateMs: number[];
  downtimeMs: number[];
  submitMs: number[];
}

const S = 'd1-h1';
const LAN = 'd1-h2';

/** One 256 MiB LAN migration on `lab`. */
async function migrateOnce(lab: Lab, f: LabFigures): Promise<void> {
  const g = await zincOk(lab, S, ['submit', '--host', S, '--', TESTJOB, 'mem', String(256 << 20)]);
  await waitUntil('ready', () => jobFile(lab, S, g, 'stdout').startsWith('ready'), 60_000);
  const s = await zincJson<Summary>(lab, S, ['migrate', g, '--to', LAN]);
  f.migrateMs.push(s.totalMs);
  f.downtimeMs.push(s.downtimeMs);
  await zincOk(lab, S, ['kill', g]);
}

/**
 * Forwarded submits S → LAN through S's daemon, from an in-process client on S's socket (so the
 * CLI's own start-up is not in the figure); `warm` first opens the peer channel.
 */
async function submitOnce(c: ZincClient, f: LabFigures | undefined): Promise<void> {
  const t0 = performance.now();
  await c.call(c.jobs, 'submit', { spec: { argv: ['true'], env: [], cwd: '', user: '', name: 'lat', memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0 }, host: LAN, domain: '' });
  f?.submitMs.push(performance.now() - t0);
}

describe.skipIf(skip)(titled('mutual TLS against plaintext, same run', skip), () => {
  const dir = mkdtempSync(join(tmpdir(), 'zinc-bench-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures', async () => {
    const stream = await streamRates(dir);
    const rate = (ms: number) => stream.bytes / 1048576 / (ms / 1000);
    const plain: LabFigures = { migrateMs: [], downtimeMs: [], submitMs: [] };
    const tls: LabFigures = { migrateMs: [], downtimeMs: [], submitMs: [] };
    // Both labs up at once, measured in alternation, so that the machine's load hits both alike.
    const labs: Array<{ lab: Lab; f: LabFigures; c?: ZincClient }> = [];
    try {
      for (const t of [false, true]) {
        const lab = await upLab({ name: t ? 'tbencht' : 'tbenchp', domains: 1, hosts: 2, tls: t, daemonArgs: ['--gossip-interval', '500ms'] });
        labs.push({ lab, f: t ? tls : plain });
        await waitUntil('view', async () => (await zincJson<unknown[]>(lab, S, ['hosts'])).length === 2, 20_000);
      }
      for (let r = 0; r < REPS; r++) for (const l of labs) await migrateOnce(l.lab, l.f);
      for (const l of labs) {
        l.c = new ZincClient(l.lab.host(S).socket);
        await submitOnce(l.c, undefined);
      }
      for (let i = 0; i < SUBMITS; i++) for (const l of labs) if (l.c) await submitOnce(l.c, l.f);
    } finally {
      for (const l of labs) {
        l.c?.close();
        await l.lab.down();
      }
    }
    printTable(`archive stream of ${MIB} MiB on loopback (MiB/s, median of ${REPS})`, ['path', 'MiB/s', 'TLS / plain'], [
      ['plaintext Fetch', rate(median(stream.plain)), 1],
      ['mutual TLS Fetch (zincd listener)', rate(median(stream.tls)), rate(median(stream.tls)) / rate(median(stream.plain))],
    ]);
    printTable(`256 MiB migration inside a domain (lab LAN), ms, median of ${REPS}; goal: TLS ≤ 1.10× plaintext`, ['transport', 'total', 'downtime', 'TLS / plain (total)'], [
      ['plaintext (--insecure)', median(plain.migrateMs), median(plain.downtimeMs), 1],
      ['mutual TLS', median(tls.migrateMs), median(tls.downtimeMs), median(tls.migrateMs) / median(plain.migrateMs)],
    ]);
    printTable(`forwarded submit (entry → another host of the domain), ms, ${SUBMITS} after the first`, ['transport', 'median', 'p90', 'TLS / plain (median)'], [
      ['plaintext (--insecure)', median(plain.submitMs), percentile(plain.submitMs, 90), 1],
      ['mutual TLS', median(tls.submitMs), percentile(tls.submitMs, 90), median(tls.submitMs) / median(plain.submitMs)],
    ]);
    saveResults('tls', { MIB, stream, plain, tls });
  }, 3_600_000);
});
