import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { withSpan } from '../../lib/trace';
import type { PasswordHasher } from './ports';

/** bcrypt only reads the first 72 bytes; longer passwords are refused, never truncated. */
export const PASSWORD_MAX_BYTES = 72;
/** Counted in characters (Unicode code points), as OWASP ASVS 5.0 V6.2.1 asks: « éééééé » is 6, not 12. */
export const PASSWORD_MIN_CHARACTERS = 8;

export function createPasswordHasher(cost: number): PasswordHasher {
  // Computed once per container, in the background, for unknown-user logins.
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => (dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), cost));

  // Each is a span of its own: the slow step of a login or a registration, by design (docs/auth.md).
  return {
    hash: (password) => withSpan('bcrypt.hash', { cost }, () => bcrypt.hash(password, cost)),
    async verify(password, hash) {
      if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return false;
      const against = hash ?? (await getDummyHash());
      const matches = await withSpan('bcrypt.compare', { cost }, () => bcrypt.compare(password, against));
      return hash !== undefined && matches;
    },
  };
}
