/** The home host's view of where its jobs run: out-of-order reports from different hops. */
import { describe, expect, it } from 'vitest';
import { isOlderHop } from '../../daemon/services/home-reports.js';

describe('home reports', () => {
  it("drops the source's late 'migrating' report once the destination reported the next hop", () => {
    // The destination's record is one arrival (epoch + 1) and one migration ahead of the source's.
    const known = { migrations: 1, epoch: 1 }; // "running on d2-h2", from the destination
    expect(isOlderHop(known, { migrations: 0, epoch: 0 })).toBe(true); // "migrating on d2-h1", from the source
  });

  it('keeps reports from the same hop and from later hops', () => {
    expect(isOlderHop({ migrations: 1, epoch: 1 }, { migrations: 1, epoch: 1 })).toBe(false);
    expect(isOlderHop({ migrations: 1, epoch: 1 }, { migrations: 2, epoch: 2 })).toBe(false);
    expect(isOlderHop({ migrations: 0, epoch: 0 }, {})).toBe(false);
  });

  it('believes a rollback over the arrival its destination reported first (issue 11, case 2)', () => {
    // Source at epoch 4 migrates; the destination restores (epoch 5, migrations + 1) and reports
    // it; then the destination dies and the source rolls back (epoch 4 + 2 = 6, migrations as
    // before). The migration count alone said the rollback was older, and the home pointed at the
    // dead destination for good.
    const arrival = { migrations: 3, epoch: 5 };
    const rollback = { migrations: 2, epoch: 6 };
    expect(isOlderHop(arrival, rollback)).toBe(false);
    // And once the rollback is known, the destination's late arrival report cannot undo it.
    expect(isOlderHop(rollback, arrival)).toBe(true);
    // A later migration from the rolled-back source arrives at epoch 7, ahead of both.
    expect(isOlderHop(rollback, { migrations: 3, epoch: 7 })).toBe(false);
  });

  it('falls back to the migration count for reports of daemons that send no epoch', () => {
    expect(isOlderHop({ migrations: 2, epoch: 0 }, { migrations: 1 })).toBe(true);
    expect(isOlderHop({ migrations: 1, epoch: 0 }, { migrations: 2 })).toBe(false);
  });
});
