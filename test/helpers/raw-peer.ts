/**
 * A raw gRPC client that plays a peer daemon from inside a lab host (a stranger, or an insider with
 * a valid certificate), for tests of what zincd refuses. It runs as a separate node process in the
 * host's namespaces (only there are lab addresses reachable) and prints one JSON line per call.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../infra/lab/lab.js';
import { ROOT } from './env.js';

export interface RawRecord {
  host: string;
  domain: string;
  address: string;
  memFreeBytes?: number;
  cores?: number;
  speed?: number;
  incarnation?: number;
}

export type RawCall =
  | { rpc: 'hello' }
  | { rpc: 'submit'; host?: string; gpid?: string }
  | { rpc: 'push'; fromHost: string; records: RawRecord[] }
  | { rpc: 'offer'; fromHost: string; fromDomain: string; fromAddress: string }
  | { rpc: 'report'; gpid: string };

export interface RawSpec {
  target: string;
  /** PEM files; none: a plaintext client. */
  tls?: { ca: string; cert: string; key: string };
  calls: RawCall[];
  /** Repeat the calls this many times, this far apart (e.g. to keep forged records fresh). */
  repeat?: { times: number; everyMs: number };
}

export interface RawResult {
  rpc: string;
  ok: boolean;
  code?: number;
  details?: string;
}

const SCRIPT = `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const root = process.argv[2];
const spec = JSON.parse(process.argv[3]);
const grpc = createRequire(root + '/package.json')('@grpc/grpc-js');
const { zincV1 } = await import(root + '/dist/proto/loader.js');
const creds = spec.tls
  ? grpc.credentials.createSsl(readFileSync(spec.tls.ca), readFileSync(spec.tls.key), readFileSync(spec.tls.cert), { checkServerIdentity: () => undefined })
  : grpc.credentials.createInsecure();
const opts = spec.tls ? { 'grpc.ssl_target_name_override': 'zinc' } : {};
const v1 = zincV1();
const jobs = new v1.Jobs(spec.target, creds, opts);
const hosts = new v1.Hosts(spec.target, creds, opts);
const gossip = new v1.Gossip(spec.target, creds, opts);
const mig = new v1.MigrationPeer(spec.target, creds, opts);
const unary = (client, method, req) => new Promise((resolve) => {
  client[method](req, { deadline: Date.now() + 5000 }, (err) => resolve(err ? { ok: false, code: err.code, details: err.details } : { ok: true }));
});
const record = (r, version) => ({ host: r.host, domain: r.domain, address: r.address, cores: r.cores ?? 2, speed: r.speed ?? 1, load: 0,
  memFreeBytes: r.memFreeBytes ?? 1e9, memTotalBytes: r.memFreeBytes ?? 1e9, jobs: 0, version, incarnation: r.incarnation ?? Date.now(), draining: false, updatedAtMs: 0 });
const times = spec.repeat?.times ?? 1;
for (let i = 0; i < times; i++) {
  for (const c of spec.calls) {
    let res;
    if (c.rpc === 'hello') res = await unary(hosts, 'hello', {});
    else if (c.rpc === 'submit') res = await unary(jobs, 'submit', { spec: { argv: ['sh', '-c', 'id > /tmp/zinc-stranger-was-here'] }, host: c.host ?? '', gpid: c.gpid ?? '', via: { originHost: 'stranger', originDomain: 'd1', hops: 1 } });
    else if (c.rpc === 'push') res = await unary(gossip, 'push', { fromHost: c.fromHost, entries: c.records.map((r) => ({ record: record(r, i + 1), ageMs: 0 })) });
    else if (c.rpc === 'offer') res = await unary(mig, 'offer', { id: 'd1-h2.1-x', gpid: 'd1-h2.1', fromHost: c.fromHost, fromDomain: c.fromDomain, fromAddress: c.fromAddress, preview: Buffer.from('{}'), job: Buffer.from('{}'), estimatedBytes: 1, lazy: false });
    else if (c.rpc === 'report') res = await unary(jobs, 'report', { job: { gpid: c.gpid, state: 'JOB_STATE_RUNNING' } });
    process.stdout.write(JSON.stringify({ rpc: c.rpc, ...res }) + '\\n');
  }
  if (i + 1 < times) await new Promise((r) => setTimeout(r, spec.repeat.everyMs));
}
process.exit(0);
`;

/** Runs the calls from inside lab host `from`; resolves with every call's outcome. */
export function rawPeer(lab: Lab, from: string, dir: string, spec: RawSpec): Promise<RawResult[]> {
  const script = join(dir, 'raw-peer.mjs');
  writeFileSync(script, SCRIPT);
  return new Promise((resolve, reject) => {
    const child = lab.spawn(from, [process.execPath, script, ROOT, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`raw peer exited ${String(code)}: ${err}`));
      else resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RawResult));
    });
  });
}
