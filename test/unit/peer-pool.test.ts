/** PeerPool: one channel per address and expected identity; idle and forgotten channels closed. */
import { describe, expect, it } from 'vitest';
import { IDLE_CLOSE_MS, PeerPool } from '../../daemon/peers/pool.js';

describe('PeerPool', () => {
  it('binds channels to the identity expected at an address, and closes the ones not needed', () => {
    const pool = new PeerPool();
    try {
      const a = pool.jobs('127.0.0.1:1', { host: 'a', domain: 'd1' });
      expect(pool.jobs('127.0.0.1:1', { host: 'a', domain: 'd1' })).toBe(a);
      // An impostor's record for the same address gets its own channel, never the real host's.
      expect(pool.jobs('127.0.0.1:1', { host: 'b', domain: 'd1' })).not.toBe(a);
      expect(pool.jobs('127.0.0.1:1')).not.toBe(a);
      pool.gossip('127.0.0.1:2', { host: 'c', domain: 'd2' });
      expect(pool.size).toBe(4);
      pool.forget('127.0.0.1:2');
      expect(pool.size).toBe(3);
      expect(pool.sweep(Date.now() + 1000)).toBe(0);
      expect(pool.sweep(Date.now() + IDLE_CLOSE_MS)).toBe(3);
      expect(pool.size).toBe(0);
    } finally {
      pool.close();
    }
  });
});
