/** The home host's view of where its jobs run: out-of-order reports from different hops. */
import { describe, expect, it } from 'vitest';
import { isOlderHop } from '../../daemon/services/home-reports.js';

describe('home reports', () => {
  it("drops the source's late 'migrating' report once the destination reported the next hop", () => {
    // The destination's record counts one migration more than the source's.
    const known = { migrations: 1 }; // "running on d2-h2", from the destination
    expect(isOlderHop(known, { migrations: 0 })).toBe(true); // "migrating on d2-h1", from the source
  });

  it('keeps reports from the same hop and from later hops', () => {
    expect(isOlderHop({ migrations: 1 }, { migrations: 1 })).toBe(false);
    expect(isOlderHop({ migrations: 1 }, { migrations: 2 })).toBe(false);
    expect(isOlderHop({ migrations: 0 }, {})).toBe(false);
  });
});
