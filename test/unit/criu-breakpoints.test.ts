/** The hardware-breakpoint probe (build/zinc-hwbp-probe) and what zinc does with its answer. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRIU_NO_BREAKPOINTS, hwbpProbePath, probeHwBreakpoints } from '../../daemon/criu/breakpoints.js';

const built = existsSync(hwbpProbePath());

describe.skipIf(!built)(built ? 'hardware-breakpoint probe' : 'hardware-breakpoint probe (skipped: build/zinc-hwbp-probe not built; run node scripts/build.mjs)', () => {
  it('answers ok or broken on this machine, never unknown', async () => {
    const bp = await probeHwBreakpoints();
    expect(['ok', 'broken']).toContain(bp.state);
    expect(bp.detail.length).toBeGreaterThan(0);
  });

  it('the test run was set up to match: CRIU_FAULT=130 where breakpoints do not fire', async () => {
    const bp = await probeHwBreakpoints();
    if (bp.state === 'broken') expect(process.env.CRIU_FAULT).toBe(CRIU_NO_BREAKPOINTS);
  });
});

describe('hardware-breakpoint probe, missing', () => {
  it('says unknown and how to build it', async () => {
    const bp = await probeHwBreakpoints('/nonexistent/zinc-hwbp-probe');
    expect(bp).toEqual({ state: 'unknown', detail: expect.stringContaining('node scripts/build.mjs') as unknown });
  });
});
