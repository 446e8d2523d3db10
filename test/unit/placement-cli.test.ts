/** `zinc policy set|show`, `zinc drain|undrain`: flags become the right requests; mistakes are usage errors. */
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../../cli/context.js';
import type { ZincClient } from '../../cli/client.js';
import { register as registerPolicy } from '../../cli/commands/policy.js';
import { register as registerDrain } from '../../cli/commands/drain.js';

interface Sent {
  method: string;
  req: Record<string, unknown>;
}

function harness(replies: Record<string, unknown>) {
  const sent: Sent[] = [];
  const client = {
    service: () => ({}),
    call: async (_c: unknown, method: string, req: Record<string, unknown>) => {
      sent.push({ method, req });
      return replies[method];
    },
  } as unknown as ZincClient;
  const ctx: CliContext = { client: () => client };
  const program = new Command('zinc').exitOverride();
  registerPolicy(program, ctx);
  registerDrain(program, ctx);
  return { sent, run: (...args: string[]) => program.parseAsync(['node', 'zinc', ...args]) };
}

const CHAIN = { filters: [{ name: 'mem-fit', params: {} }], scorer: { name: 'random', params: {} }, balancerEnabled: true, balancerParams: {}, version: 4 };

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

describe('zinc policy set', () => {
  it('sends the scorer, filters, params and balancer settings', async () => {
    const h = harness({ set: { hosts: [{ host: 'a1', chain: CHAIN, available: [] }], failed: [] } });
    await h.run('policy', 'set', 'random', '--filters', 'mem-fit', '--param', 'mem-fit.headroom=1G', '--param', 'x=', '--balancer', 'on', '--balancer-param', 'threshold=1.5', '--all');
    expect(h.sent).toEqual([
      {
        method: 'set',
        req: {
          host: '',
          all: true,
          scorer: 'random',
          filters: ['mem-fit'],
          setFilters: true,
          params: { 'mem-fit.headroom': '1G', x: '' },
          balancer: 'on',
          balancerParams: { threshold: '1.5' },
        },
      },
    ]);
    expect(out).toBe('a1  mem-fit > random  v4  balancer on\n');
    expect(process.exitCode).toBe(0);
  });

  it('--filters none clears the filters; failures exit 1', async () => {
    const h = harness({ set: { hosts: [], failed: ['b1: host b1 is unreachable'] } });
    await h.run('policy', 'set', '--filters', 'none');
    expect(h.sent[0]?.req).toMatchObject({ scorer: '', filters: [], setFilters: true });
    expect(err).toBe('zinc: not changed on b1: host b1 is unreachable\n');
    expect(process.exitCode).toBe(1);
  });

  it('refuses nothing to change, --host with --all, a bad pair, a bad --balancer', async () => {
    for (const args of [['policy', 'set'], ['policy', 'set', 'random', '--host', 'a', '--all'], ['policy', 'set', '--param', 'novalue'], ['policy', 'set', '--balancer', 'maybe']]) {
      const h = harness({});
      err = '';
      await h.run(...args);
      expect(h.sent, args.join(' ')).toEqual([]);
      expect(process.exitCode, args.join(' ')).toBe(2);
      expect(err).toMatch(/^zinc: /);
    }
  });
});

describe('zinc policy show, zinc drain', () => {
  it('show asks the named host', async () => {
    const h = harness({ show: { host: 'b1', chain: CHAIN, available: [] } });
    await h.run('policy', 'show', '--host', 'b1');
    expect(h.sent).toEqual([{ method: 'show', req: { host: 'b1' } }]);
    expect(out).toContain('Chain     mem-fit > random  v4  balancer on');
  });

  it('drain and undrain', async () => {
    const h = harness({ drain: { host: 'b1', draining: true, moving: [], stuck: [] } });
    await h.run('drain', 'b1');
    expect(h.sent).toEqual([{ method: 'drain', req: { host: 'b1', drain: true } }]);
    expect(out).toBe('b1 draining: no jobs left\n');
    const u = harness({ drain: { host: 'b1', draining: false, moving: [], stuck: [] } });
    out = '';
    await u.run('undrain', 'b1');
    expect(u.sent).toEqual([{ method: 'drain', req: { host: 'b1', drain: false } }]);
    expect(out).toBe('b1 accepts jobs again\n');
  });

  it('drain --wait polls until the host is empty', async () => {
    vi.useFakeTimers();
    const replies = [
      { host: 'b1', draining: true, moving: ['b1.1'], stuck: [] },
      { host: 'b1', draining: true, moving: [], stuck: [] },
    ];
    const sent: string[] = [];
    const client = {
      service: () => ({}),
      call: async (_c: unknown, method: string) => {
        sent.push(method);
        return replies.shift();
      },
    } as unknown as ZincClient;
    const program = new Command('zinc').exitOverride();
    registerDrain(program, { client: () => client });
    const done = program.parseAsync(['node', 'zinc', 'drain', 'b1', '--wait']);
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    vi.useRealTimers();
    expect(sent).toEqual(['drain', 'drain']);
    expect(out).toBe('b1 draining: 1 moving (b1.1), 0 stuck\nb1 drained: no jobs left\n');
  });
});
