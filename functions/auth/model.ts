/** The auth service's data: users, login sessions (refresh-token families) and the tokens it issues. */

/** A username: 3 to 32 letters, digits, `.`, `_` or `-` (registration enforces it; login only looks it up). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;

export interface User {
  /** As the user typed it at registration. */
  username: string;
  passwordHash: string;
  createdAt: string;
}

export type RefreshTokenState = 'active' | 'rotated';

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  username: string;
  state: RefreshTokenState;
  /** Epoch seconds: the family's absolute expiry, copied to every token. */
  expiresAt: number;
  /** ISO 8601 (UTC, fixed width, so strings compare in time order): when a rotated token was spent. */
  rotatedAt?: string | undefined;
  /** True once a rotated token has been answered again inside the reuse interval. */
  graceUsed?: boolean | undefined;
}

export interface RefreshFamily {
  familyId: string;
  username: string;
  revoked: boolean;
  expiresAt: number;
}

export interface AccessTokenClaims {
  username: string;
  /** The `sid` claim: the login session (refresh-token family) the token was issued for. */
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}
