import { randomBytesPooled } from '../../lib/random';

/**
 * Order ids are ULIDs: 48 bits of milliseconds then 80 random bits, in Crockford base32.
 * They sort by creation time as plain strings, which makes "newest first" a key-order read.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const MAX_TIME = 2 ** 48 - 1;

export const ORDER_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function newOrderId(nowMs: number, random: (bytes: number) => Uint8Array = randomBytesPooled): string {
  return encodeTime(nowMs) + encodeRandom(random(10));
}

/** The smallest id that a moment can produce: every order created before `nowMs` sorts below it. */
export const orderIdFloor = (nowMs: number): string => encodeTime(nowMs) + '0'.repeat(RANDOM_CHARS);

export function orderIdTime(orderId: string): number {
  let time = 0;
  for (const char of orderId.slice(0, TIME_CHARS)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}

function encodeTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIME) throw new RangeError(`time out of range: ${ms}`);
  let rest = ms;
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits → 16 characters of 5 bits each.
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < RANDOM_CHARS; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}
