import { describe, expect, it } from '@jest/globals';
import { randomBytesPooled, randomFraction, randomHex } from './random';

describe('pooled random draws', () => {
  it('hands out every byte once: no two draws repeat, across many refills of the pool', () => {
    // 3 000 draws of 16 bytes: ≈ 12 refills of the 4 KB pool; a repeat would mean a byte range reused.
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) seen.add(randomHex(16));
    expect(seen.size).toBe(3000);
  });

  it('draws the requested length, as hex or as bytes the caller owns', () => {
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
    const bytes = randomBytesPooled(10);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toHaveLength(10);
    // A copy: the next refill of the pool does not change it.
    const before = Buffer.from(bytes).toString('hex');
    for (let i = 0; i < 600; i++) randomHex(8);
    expect(Buffer.from(bytes).toString('hex')).toBe(before);
  });

  it('spreads its draws over the bytes it gives (no constant or stuck byte)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2000; i++) for (const byte of randomBytesPooled(16)) counts[byte] = (counts[byte] ?? 0) + 1;
    // 32 000 bytes over 256 values: 125 each on average; a fixed or zeroed range would leave values unseen.
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(250);
  });

  it('gives fractions in [0, 1)', () => {
    const draws = Array.from({ length: 1000 }, randomFraction);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(new Set(draws).size).toBeGreaterThan(990);
  });

  it('refuses a draw it cannot give', () => {
    expect(() => randomHex(0)).toThrow(RangeError);
    expect(() => randomHex(4097)).toThrow(RangeError);
    expect(() => randomBytesPooled(1.5)).toThrow(RangeError);
  });
});
