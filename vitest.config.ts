import { defineConfig } from 'vitest/config';

// Benchmarks (test/bench) measure, they do not pass or fail on time; they run only on request:
// `make bench` (ZINC_BENCH=1).
const bench = process.env.ZINC_BENCH
  ? [{ test: { name: 'bench', include: ['test/bench/**/*.bench.test.ts'], fileParallelism: false, testTimeout: 3_600_000, hookTimeout: 600_000 } }]
  : [];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
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
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      ...bench,
    ],
  },
});
