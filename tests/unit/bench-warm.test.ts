import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';

/**
 * The bench's warm-up (scripts/bench/lib/warm.mjs) stops once a stack's CPU per order stops
 * falling: DynamoDB Local's JIT takes several thousand orders to get there.
 */
type IsSteady = (cpuMsPerOrder: number[], options: { minChunks: number; tolerance: number }) => boolean;
let isSteady: IsSteady;
let STEADY_WARM_UP: { minChunks: number; tolerance: number };
beforeAll(async () => {
  ({ isSteady, STEADY_WARM_UP } = await import(path.resolve(__dirname, '../../scripts/bench/lib/warm.mjs')));
});

const options = { minChunks: 3, tolerance: 0.05 };

describe('isSteady', () => {
  it('goes on while each chunk costs more than 5 % less than the one before', () => {
    // A stack whose JIT is still compiling: 12 → 8.5 → 7.5 → 6.5 ms per order.
    expect(isSteady([12, 8.5], options)).toBe(false);
    expect(isSteady([12, 8.5, 7.5], options)).toBe(false);
    expect(isSteady([12, 8.5, 7.5, 6.5], options)).toBe(false);
  });

  it('stops once a chunk costs within 5 % of the one before, or more', () => {
    expect(isSteady([12, 8.5, 7.5, 6.5, 6.3], options)).toBe(true);
    expect(isSteady([12, 8.5, 7.5, 6.5, 6.9], options)).toBe(true);
  });

  it('never stops before the minimum number of chunks', () => {
    expect(isSteady([7, 7], options)).toBe(false);
    expect(isSteady([7, 7, 7], options)).toBe(true);
  });

  it('needs two chunks to compare, whatever the minimum', () => {
    expect(isSteady([7], { minChunks: 1, tolerance: 0.05 })).toBe(false);
    expect(isSteady([7, 7], { minChunks: 1, tolerance: 0.05 })).toBe(true);
  });

  it("the bench's warm-up goes on while a chunk still costs 4–5 % less than the one before", () => {
    // The main stack's chunks in one run: 12.24 → 7.32 → 6.65 → 5.78 → 5.46 → 5.21 ms, still falling.
    expect(isSteady([12.24, 7.32, 6.65, 5.78, 5.46, 5.21], STEADY_WARM_UP)).toBe(false);
    expect(isSteady([12.24, 7.32, 6.65, 5.78, 5.46, 5.21, 5.14], STEADY_WARM_UP)).toBe(true);
  });
});
