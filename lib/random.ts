import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from the OS's CSPRNG (the same source as `crypto.randomBytes`), drawn from a pool
 * filled 4 KB at a time. An order draws several small values (its id, its trace and span ids, the
 * bank's decision): each `randomBytes` call is a trip into OpenSSL of its own, ≈ 10–20 µs on the
 * local stack, where a draw from the pool is a copy. Node's `crypto.randomUUID()` pools the same way.
 * Every byte is handed out once.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** Where in the pool `size` fresh bytes start; refills it when too few are left. */
function take(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > POOL_BYTES) throw new RangeError(`random draw of ${size} bytes: 1 to ${POOL_BYTES}`);
  if (used + size > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const start = used;
  used += size;
  return start;
}

/** `size` random bytes, a copy the caller owns. */
export function randomBytesPooled(size: number): Uint8Array {
  const start = take(size);
  return Uint8Array.prototype.slice.call(pool, start, start + size);
}

/** `size` random bytes as lowercase hex (2 × `size` digits). */
export function randomHex(size: number): string {
  const start = take(size);
  return pool.toString('hex', start, start + size);
}

/** A number in [0, 1) from 32 random bits. */
export function randomFraction(): number {
  return pool.readUInt32BE(take(4)) / 2 ** 32;
}
