import { createHash, timingSafeEqual } from 'node:crypto';

/** Far above any key we generate (43 characters); longer input is refused before hashing. */
const MAX_KEY_LENGTH = 512;
/** A key shorter than this is a configuration mistake, not a credential. */
export const MIN_KEY_LENGTH = 32;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks the merchant credential (`Authorization: Bearer <key>`) against the accepted keys:
 * the current one and, during a rotation, the next one. Both keys are always compared, over
 * fixed-length digests, so the time taken says nothing about which key or how much of it matched.
 */
export function createMerchantGuard(acceptedKeys: readonly string[]): (authorization: string | undefined) => boolean {
  const accepted = acceptedKeys.map(digest);
  return (authorization) => {
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(authorization?.trim() ?? '');
    const presented = match?.[1] && match[1].length <= MAX_KEY_LENGTH ? digest(match[1]) : digest('');
    let ok = false;
    for (const key of accepted) ok = timingSafeEqual(key, presented) || ok;
    return ok && match !== null;
  };
}
