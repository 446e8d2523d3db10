/**
 * Jobs.Report from peers (issue 10, section 6): the home host records only reports about GPIDs it
 * issued, from the host the job is on, with bounded fields. A real Jobs service on loopback; the
 * home's report store is a recorder.
 */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../proto/generated/zinc/v1/JobInfo.js';
import type { JobsClient } from '../../proto/generated/zinc/v1/Jobs.js';
import { zincV1 } from '../../proto/loader.js';
import { fromServiceError, isServiceError } from '../../daemon/grpc/status.js';
import { parseGpid } from '../../daemon/jobs/gpid.js';
import { unary } from '../../daemon/peers/pool.js';
import type { Caller } from '../../daemon/security/caller.js';
import { Authorizer } from '../../daemon/security/authz.js';
import { Callers } from '../../daemon/security/callers.js';
import type { ServiceContext } from '../../daemon/services/context.js';
import { JobsService } from '../../daemon/services/jobs-service.js';

const HOME = 'home-1';
let server: grpc.Server;
let client: JobsClient;
const applied: JobInfo[] = [];
const logged: string[] = [];
let seq = 3;
/** Who the server believes is calling; undefined = the real resolver (anonymous, no TLS). */
let as: Caller | undefined;

beforeAll(async () => {
  server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const real = new Callers({ local: undefined, insecure: true });
  const callers = { of: (call: Parameters<Callers['of']>[0]) => as ?? real.of(call) } as unknown as Callers;
  const ctx = {
    hostId: HOME,
    domain: 'd1',
    identity: {
      get issuedSeq() {
        return seq;
      },
      ensureSeqAbove: (n: number) => (seq = Math.max(seq, n)),
    },
    reports: { apply: async (i: JobInfo) => void applied.push(i) },
    // No forwarding records here: a report about another home's job is refused.
    jobs: { get: () => undefined },
    callers,
    auth: new Authorizer({ callers, hostId: HOME, domain: 'd1', userMap: {} }),
    log: pino({ level: 'info' }, { write: (line: string) => void logged.push(line) }),
  } as unknown as ServiceContext;
  new JobsService(ctx).addToServer(server);
  client = new (zincV1().Jobs)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  server?.forceShutdown();
});

beforeEach(() => {
  applied.length = 0;
  logged.length = 0;
  as = undefined;
  seq = 3;
});

function job(gpid: string, over: Partial<JobInfo> = {}): JobInfo {
  return { gpid, name: 'sim', state: 'JOB_STATE_RUNNING', host: 'far-2', spec: { argv: ['/bin/sleep', '100'], env: [], cwd: '', user: 'root' }, migrations: 0, hops: [HOME, 'far-2'], ...over };
}

async function report(j: JobInfo): Promise<string> {
  try {
    await unary(client, 'report', { job: j }, 5000);
    return 'OK';
  } catch (err) {
    if (isServiceError(err)) return fromServiceError(err).code;
    throw err;
  }
}

describe('Jobs.Report limits', () => {
  it('applies a report about a GPID this host issued', async () => {
    expect(await report(job(`${HOME}.3`))).toBe('OK');
    expect(applied.map((j) => j.gpid)).toEqual([`${HOME}.3`]);
  });

  it('refuses a GPID this host never issued, and never moves the sequence', async () => {
    // 2^53 + 1: Number() rounds it, and seq + 1 === seq from there on (the same GPID for every job).
    expect(await report(job(`${HOME}.9007199254740993`))).toBe('REPORT_INVALID');
    expect(await report(job(`${HOME}.4`))).toBe('REPORT_REFUSED');
    expect(await report(job(`${HOME}.999999999`))).toBe('REPORT_REFUSED');
    expect(applied).toEqual([]);
    expect(seq).toBe(3);
    expect(logged.some((l) => l.includes('"code":"REPORT_REFUSED"') && l.includes('peer report refused'))).toBe(true);
  });

  it('refuses GPIDs homed elsewhere and malformed ones', async () => {
    expect(await report(job('other-9.1'))).toBe('REPORT_REFUSED');
    expect(await report(job('no-dot'))).toBe('REPORT_INVALID');
    expect(await report(job(`${HOME}.1`, { host: '../etc' }))).toBe('REPORT_INVALID');
    expect(applied).toEqual([]);
  });

  it('bounds field sizes', async () => {
    expect(await report(job(`${HOME}.1`, { reason: 'x'.repeat(5000) }))).toBe('REPORT_INVALID');
    expect(await report(job(`${HOME}.1`, { spec: { argv: ['a'.repeat(3 * 1024 * 1024)], env: [], cwd: '', user: 'root' } }))).toBe('REPORT_INVALID');
    expect(await report(job(`${HOME}.1`, { hops: Array.from({ length: 10_001 }, () => 'h') }))).toBe('REPORT_INVALID');
    expect(applied).toEqual([]);
  });

  it('from a verified peer, accepts only reports about jobs on that peer', async () => {
    as = { kind: 'peer', host: 'far-2', domain: 'd2', address: '127.0.0.1:1' };
    expect(await report(job(`${HOME}.2`))).toBe('OK');
    as = { kind: 'peer', host: 'impostor-7', domain: 'd2', address: '127.0.0.1:1' };
    expect(await report(job(`${HOME}.2`))).toBe('REPORT_REFUSED');
    expect(applied.map((j) => j.host)).toEqual(['far-2']);
  });

  it('refuses reports from local non-root users', async () => {
    as = { kind: 'local', uid: 1000, gid: 1000, pid: 1 };
    expect(['REPORT_REFUSED', 'PERMISSION_DENIED']).toContain(await report(job(`${HOME}.1`)));
    expect(applied).toEqual([]);
  });
});

describe('parseGpid', () => {
  it('refuses sequence numbers that a JavaScript number cannot hold exactly', () => {
    expect(parseGpid('h.9007199254740991')?.seq).toBe(9007199254740991);
    expect(parseGpid('h.9007199254740992')).toBeUndefined();
    expect(parseGpid('h.9999999999999999')).toBeUndefined();
  });
});
