import { describe, expect, it } from '@jest/globals';
import { registerBody } from './schemas';

const accepts = (password: string) => registerBody.safeParse({ username: 'alice', password }).success;

describe('the new-password rule', () => {
  it('counts the 8-character minimum in characters (code points), not bytes', () => {
    expect(accepts('éééééé')).toBe(false); // 6 characters, 12 bytes
    expect(accepts('éééééééé')).toBe(true); // 8 characters, 16 bytes
    expect(accepts('🔑🔑🔑🔑🔑🔑🔑')).toBe(false); // 7 characters, 14 UTF-16 units
    expect(accepts('12345678')).toBe(true);
    expect(accepts('1234567')).toBe(false);
  });

  it('keeps the 72-byte maximum (bcrypt reads no more), named in bytes', () => {
    expect(accepts('p'.repeat(72))).toBe(true);
    expect(accepts('é'.repeat(36))).toBe(true); // 72 bytes
    const refused = registerBody.safeParse({ username: 'alice', password: 'é'.repeat(37) });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual(['Le mot de passe ne doit pas dépasser 72 octets (limite de bcrypt).']);
  });
});
