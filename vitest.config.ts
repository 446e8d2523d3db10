import { defineConfig } from 'vitest/config';

// Benchmarks (test/bench) measure, they do not pass or fail on time; they run only on request:
// `make bench` (ZINC_BENCH=1).
const bench = process.env.ZINC_BENCH
  ? [{ test: { name: 'bench', include: ['test/bench/**/*.bench.test.ts'], fileParallelism: false, sequence: { groupOrder: 2 }, testTimeout: 3_600_000, hookTimeout: 600_000 } }]
  : [];

export default defineConfig({
  test: {
    // Where ptrace breakpoints do not fire, CRIU needs CRIU_FAULT=130 (daemon/criu/breakpoints.ts).
    globalSetup: ['test/setup/criu-breakpoints.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The unit tests run first, on their own (~30 s): the placement decision-time check
          // measures CPU work and must not share the two cores with a lab full of CRIU, and the
          // first integration files should not share them with unit workers either.
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Real daemons, real CRIU and netns labs: one file at a time so that timing-sensitive
          // tests (downtime, placement spread) do not fight over the machine's two cores.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      ...bench,
    ],
  },
});
