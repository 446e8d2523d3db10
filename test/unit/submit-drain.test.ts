/**
 * A submit placed on a host that started draining after the entry's view of it was gossiped: the
 * host refuses it (HOST_DRAINING) and the entry places the job again without it. Three Jobs
 * services on loopback stand in for three daemons; the job manager behind them is faked.
 */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsClient } from '../../proto/generated/zinc/v1/Jobs.js';
import { zincV1 } from '../../proto/loader.js';
import type { HostState } from '../../daemon/discovery/host-state.js';
import { fromServiceError, isServiceError } from '../../daemon/grpc/status.js';
import { PeerPool, unary } from '../../daemon/peers/pool.js';
import type { ServiceContext } from '../../daemon/services/context.js';
import { JobsService } from '../../daemon/services/jobs-service.js';
import { Router } from '../../daemon/services/router.js';
import { entry, host, makeEngine, withScorer } from './placement-fixtures.js';
import { OPEN_TRUST, rootAuthorizer } from '../helpers/authz.js';

interface Daemon {
  name: string;
  server: grpc.Server;
  address: string;
  /** What this daemon gossiped last (the others' view of it). */
  gossiped: HostState;
  /** What it knows of itself now. */
  self: HostState;
  started: string[];
  /** Its log, as JSON lines. */
  logged: string[];
  pool: PeerPool;
}

const daemons = new Map<string, Daemon>();

async function startDaemon(name: string, load: number): Promise<Daemon> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const record = host(name, { address: `127.0.0.1:${port}`, load });
  const d: Daemon = { name, server, address: record.address, gossiped: record, self: record, started: [], logged: [], pool: new PeerPool() };
  const views = () => [...daemons.values()].map((x) => (x.name === name ? entry(d.self, { ageMs: 0, isSelf: true }) : entry(x.gossiped)));
  const discovery = { views, lookup: (h: string) => views().find((v) => v.record.host === h), self: () => d.self };
  let seq = 0;
  const jobs = {
    get: () => undefined,
    submit: async (r: { gpid: string }) => {
      d.started.push(r.gpid);
      return r;
    },
  };
  const ctx = {
    config: { ...OPEN_TRUST, hostId: name, domain: 'd1' },
    auth: rootAuthorizer(name, 'd1'),
    hostId: name,
    domain: 'd1',
    discovery,
    router: new Router(name, 'd1', discovery as unknown as ConstructorParameters<typeof Router>[2], jobs as unknown as ConstructorParameters<typeof Router>[3]),
    pool: d.pool,
    jobs,
    identity: { nextSeq: async () => ++seq },
    layout: { workDir: () => '/tmp' },
    placement: makeEngine(withScorer('least-loaded'), undefined, 7, name),
    log: pino({ level: 'info' }, { write: (line: string) => void d.logged.push(line) }),
  } as unknown as ServiceContext;
  new JobsService(ctx).addToServer(server);
  daemons.set(name, d);
  return d;
}

function drainUnseen(name: string): void {
  const d = daemons.get(name);
  if (d) d.self = { ...d.self, draining: true };
}

let client: JobsClient;

async function submit(hostArg = ''): Promise<{ gpid: string; host: string }> {
  try {
    return await unary(client, 'submit', { spec: { argv: ['/bin/true'], cwd: '/tmp' }, host: hostArg }, 5000);
  } catch (err) {
    throw isServiceError(err) ? fromServiceError(err) : err;
  }
}

beforeAll(async () => {
  // The entry is the busiest host: least-loaded prefers the quiet one (q1), then o1.
  await startDaemon('q1', 0);
  await startDaemon('o1', 3);
  const e1 = await startDaemon('e1', 5);
  client = new (zincV1().Jobs)(e1.address, grpc.credentials.createInsecure());
});

afterAll(() => {
  client.close();
  for (const d of daemons.values()) {
    d.pool.close();
    d.server.forceShutdown();
  }
});

describe('submit meets a host that is draining', () => {
  it('places on the quiet host while it is open', async () => {
    const r = await submit();
    expect(r.host).toBe('q1');
    expect(daemons.get('q1')?.started).toEqual([r.gpid]);
  });

  it('the draining host refuses a placed job; the entry chooses again and the job starts once, elsewhere', async () => {
    drainUnseen('q1');
    const before = daemons.get('q1')?.started.length;
    const r = await submit();
    expect(r.host).toBe('o1');
    expect(daemons.get('o1')?.started).toEqual([r.gpid]);
    expect(daemons.get('q1')?.started.length).toBe(before);
    expect(daemons.get('e1')?.logged.join('')).toMatch(/"host":"q1".*placed host is draining; choosing again without it/);
  });

  it('--host on a draining host fails with a clear error and starts nothing', async () => {
    await expect(submit('q1')).rejects.toMatchObject({
      code: 'HOST_DRAINING',
      message: 'q1 is draining and takes no new jobs',
      hint: expect.stringMatching(/zinc undrain q1/),
    });
  });

  it('when every open host refuses, the user hears why', async () => {
    drainUnseen('o1');
    drainUnseen('e1');
    await expect(submit()).rejects.toMatchObject({ code: 'PLACEMENT_NO_HOST' });
  });
});
