import { createHash } from 'node:crypto';
import { randomFraction } from '../../lib/random';

/** A number in [0, 1) for one payment decision. */
export type RandomSource = (orderId: string) => number;

/**
 * With a seed, each order's draw is derived from `sha256(seed, order_id)`: the same order
 * always gets the same draw, whatever the order in which concurrent requests arrive, so a
 * test can predict an answer. Without a seed, draws come from the OS's random source (lib/random.ts).
 */
export function createRandomSource(seed?: string): RandomSource {
  if (seed === undefined || seed === '') return randomFraction;
  return (orderId) => createHash('sha256').update(seed).update('\u0000').update(orderId).digest().readUInt32BE(0) / 2 ** 32;
}

/** Approve when the draw falls under the success rate: rate 1 always approves, rate 0 never does. */
export const approves = (draw: number, successRate: number): boolean => draw < successRate;
