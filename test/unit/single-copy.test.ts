/** A GPID that already runs somewhere is never restored a second time (issue 10, safe restores). */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HostUnreachableError } from '../../daemon/services/errors.js';
import type { ServiceContext } from '../../daemon/services/context.js';
import { requireNoLiveCopy } from '../../daemon/services/single-copy.js';
import type { Actor } from '../../daemon/security/authz.js';
import type { JobRecord } from '../../daemon/jobs/record.js';

type Show = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => void;

const actor = { caller: { kind: 'local', uid: 0, gid: 0, pid: 1 }, user: { name: 'root', uid: 0, gid: 0, home: '/', shell: '' }, root: true, domain: 'd' } as unknown as Actor;

function context(o: { local?: Partial<JobRecord>; show?: Show; unreachable?: boolean }): { c: ServiceContext; asked: string[]; warned: string[] } {
  const asked: string[] = [];
  const warned: string[] = [];
  const log = pino({ level: 'silent' });
  const c = {
    hostId: 'here',
    jobs: { get: () => o.local as JobRecord | undefined },
    log: { ...log, warn: (_f: unknown, msg: string) => warned.push(msg) },
    pool: { jobs: () => ({ show: o.show }) },
    router: {
      forwardVia: () => ({ originHost: 'here', originDomain: 'd', hops: 1, user: 'root', uid: 0 }),
      call: async <T>(host: string, fn: (address: string, expect: undefined) => Promise<T>): Promise<T> => {
        asked.push(host);
        if (o.unreachable) throw new HostUnreachableError(host, '198.18.0.9:7070', 'connection refused');
        return fn('198.18.0.9:7070', undefined);
      },
    },
  } as unknown as ServiceContext;
  return { c, asked, warned };
}

const answering = (res: { state: string; host: string } | grpc.ServiceError): Show => (_req, _md, _opts, cb) => {
  if ('code' in res) cb(res);
  else cb(null, res);
};

describe('requireNoLiveCopy', () => {
  it('refuses a GPID live on this host, or moved on from it, without asking anyone', async () => {
    for (const state of ['running', 'stopped', 'queued', 'migrating'] as const) {
      const { c, asked } = context({ local: { gpid: 'home.3', state } });
      await expect(requireNoLiveCopy(c, 'home.3', actor)).rejects.toMatchObject({ code: 'GPID_ALREADY_RUNNING' });
      expect(asked).toEqual([]);
    }
    const { c } = context({ local: { gpid: 'home.3', state: 'moved', location: 'far' } });
    await expect(requireNoLiveCopy(c, 'home.3', actor)).rejects.toThrow(/already running on far/);
  });

  it('asks the home host, and refuses when it says the job runs elsewhere', async () => {
    const { c, asked } = context({ show: answering({ state: 'JOB_STATE_RUNNING', host: 'other' }) });
    await expect(requireNoLiveCopy(c, 'home.3', actor)).rejects.toThrow(/job home\.3 is already running on other \(its home host home says running\)/);
    expect(asked).toEqual(['home']);
  });

  it('goes ahead when the home host says the job ended or does not know it', async () => {
    await expect(requireNoLiveCopy(context({ show: answering({ state: 'JOB_STATE_CHECKPOINTED', host: 'home' }) }).c, 'home.3', actor)).resolves.toBeUndefined();
    const notFound = Object.assign(new Error('no job'), { code: grpc.status.NOT_FOUND, details: 'no job', metadata: new grpc.Metadata() }) as grpc.ServiceError;
    await expect(requireNoLiveCopy(context({ show: answering(notFound) }).c, 'home.3', actor)).resolves.toBeUndefined();
  });

  it('goes ahead, with a warning, when the home host cannot be reached (an archive must outlive its home)', async () => {
    const { c, warned } = context({ unreachable: true });
    await expect(requireNoLiveCopy(c, 'home.3', actor)).resolves.toBeUndefined();
    expect(warned.join()).toMatch(/cannot confirm/);
  });

  it('trusts its own record for a GPID homed here', async () => {
    const { c, asked } = context({});
    await expect(requireNoLiveCopy(c, 'here.9', actor)).resolves.toBeUndefined();
    expect(asked).toEqual([]);
  });
});
