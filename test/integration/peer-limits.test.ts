/**
 * Issue 10, section 6, against real daemons: the findings "Jobs.Report accepts any GPID (one with a
 * huge sequence number made the host hand the same GPID to three jobs)" and "500 offers in a second
 * stay on disk until a restart". Two zincd on loopback; the attacker is a plain gRPC client.
 */
import * as grpc from '@grpc/grpc-js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsClient } from '../../proto/generated/zinc/v1/Jobs.js';
import type { MigrationOffer } from '../../proto/generated/zinc/v1/MigrationOffer.js';
import type { MigrationPeerClient } from '../../proto/generated/zinc/v1/MigrationPeer.js';
import { zincV1 } from '../../proto/loader.js';
import { makeManifest } from '../../daemon/checkpoint/checkpointer.js';
import { machineArch } from '../../daemon/checkpoint/host-facts.js';
import { fromServiceError, isServiceError } from '../../daemon/grpc/status.js';
import type { JobRecord } from '../../daemon/jobs/record.js';
import { unary } from '../../daemon/peers/pool.js';
import { TestGrid, waitUntil, type TestDaemon } from '../helpers/daemon.js';
import { missing, titled } from '../helpers/env.js';

const skip = missing({ root: true, build: true });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (isServiceError(err)) return fromServiceError(err).code;
    throw err;
  }
}

describe.skipIf(skip)(titled('limits on peer input (real daemons)', skip), () => {
  const grid = new TestGrid();
  let alpha: TestDaemon;
  let beta: TestDaemon;
  let jobs: JobsClient;
  let peer: MigrationPeerClient;

  beforeAll(async () => {
    alpha = await grid.add({ hostId: 'alpha', domain: 'd1' });
    beta = await grid.add({ hostId: 'beta', domain: 'd2', peers: [alpha.address] });
    await waitUntil('beta knows alpha', async () => (await beta.json<Array<{ record: { host: string } }>>(['hosts'])).length === 2, 15_000);
    jobs = new (zincV1().Jobs)(alpha.address, grpc.credentials.createInsecure());
    peer = new (zincV1().MigrationPeer)(beta.address, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(async () => {
    jobs?.close();
    peer?.close();
    await grid.destroy();
  });

  it('a report about a GPID the home never issued is refused, and the home keeps handing out distinct GPIDs, across a restart', async () => {
    const report = (gpid: string) =>
      code(unary(jobs, 'report', { job: { gpid, name: 'x', state: 'JOB_STATE_RUNNING', host: 'beta', spec: { argv: ['x'], env: [], cwd: '', user: 'root' }, hops: ['beta'] } }, 5000));
    expect(await report('alpha.9007199254740993')).toBe('REPORT_INVALID');
    expect(await report('alpha.4000000')).toBe('REPORT_REFUSED');
    await waitUntil('refusal logged', () => /peer report refused/.test(alpha.log()), 10_000);
    await alpha.restart();
    const gpids: string[] = [];
    for (let i = 0; i < 3; i++) gpids.push(await alpha.ok(['submit', '--host', 'alpha', '--', 'true']));
    expect(new Set(gpids).size).toBe(3);
    for (const g of gpids) expect(Number(g.split('.')[1])).toBeLessThan(100);
  }, 60_000);

  it('500 offers in a second keep at most the per-host limit on beta, forged return addresses are refused, and beta stays up', async () => {
    let n = 0;
    const offer = (over: Partial<MigrationOffer> = {}): MigrationOffer => {
      n++;
      const gpid = `alpha.${n}`;
      const job = {
        format: 1, gpid, name: 'x', home: 'alpha', host: 'alpha', location: 'alpha', state: 'running',
        spec: { argv: ['x'], env: [], cwd: null, user: 'root', uid: 0, gid: 0, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0, domain: '' },
        cwd: '/', submittedAt: Date.now(), events: [], hops: ['alpha'], migrations: 0, checkpoints: [],
      } as unknown as JobRecord;
      // A preview that passes beta's pre-flight: the old code accepted (and kept) every one.
      const manifest = makeManifest({ id: 'preview', job, filesDir: join(beta.stateDir, 'jobs', gpid, 'files'), host: 'alpha', domain: 'd1', criuVersion: '0.1', leaveRunning: true, lazy: false, files: [], external: [] });
      manifest.arch = machineArch();
      manifest.cpuFlags = [];
      return { id: `${gpid}-x${n}`, gpid, fromHost: 'alpha', fromDomain: 'd1', fromAddress: alpha.address, preview: Buffer.from(JSON.stringify(manifest)), job: Buffer.from(JSON.stringify(job)), estimatedBytes: 1024, lazy: false, ...over };
    };
    const t0 = Date.now();
    const codes = await Promise.all(Array.from({ length: 500 }, () => code(unary(peer, 'offer', offer(), 10_000))));
    const elapsed = Date.now() - t0;
    const tally = codes.reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});
    expect(tally).toEqual({ OK: 4, MIGRATION_LIMIT: 496 });
    const dir = join(beta.stateDir, 'migrations');
    expect(readdirSync(dir)).toHaveLength(4);
    expect(await code(unary(peer, 'offer', offer({ fromAddress: '127.0.0.1:1' }), 5000))).toBe('OFFER_ADDRESS_MISMATCH');
    // Each refusal is logged (pino writes asynchronously: wait for the lines).
    await waitUntil('refusals logged', () => /"code":"MIGRATION_LIMIT"/.test(beta.log()) && /"code":"OFFER_ADDRESS_MISMATCH"/.test(beta.log()), 10_000);
    expect((await beta.json<unknown[]>(['hosts'])).length).toBe(2);
    // Without a Receive, the accepted ones expire (60 s) and leave nothing behind.
    await waitUntil('the accepted offers expired', () => !existsSync(dir) || readdirSync(dir).length === 0, 90_000, 500);
    expect(beta.log()).toMatch(/accepted offer expired/);
    expect(elapsed).toBeLessThan(30_000);
  }, 150_000);
});
