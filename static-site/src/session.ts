import type { TokenPair } from './api-bodies';
import { emit } from './events';
import { claimString, type DecodedJwt, decodeJwt } from './jwt';

// Where the tokens live, and why:
// - the access token (the bearer credential for /api/*) stays in a module variable only: it is never
//   written anywhere a script or another tab could read it later, and it is gone when the tab reloads;
// - the refresh token goes to sessionStorage so that a reload of this tab can silently get a new access
//   token. sessionStorage is per tab and cleared when the tab closes, and unlike a cookie it is never sent
//   automatically (no CSRF). It is still readable by scripts on this origin, which is why the page has a
//   strict CSP and never inserts server data as HTML; refresh tokens are also rotated on every use.
const REFRESH_KEY = 'shop.refresh_token';

let accessToken: string | null = null;
let decoded: DecodedJwt | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function getDecodedAccessToken(): DecodedJwt | null {
  return decoded;
}

export function getRefreshToken(): string | null {
  return sessionStorage.getItem(REFRESH_KEY);
}

export function currentUser(): string | undefined {
  return claimString(decoded, 'username', 'sub', 'user');
}

export function isSignedIn(): boolean {
  return accessToken !== null || getRefreshToken() !== null;
}

/** Keeps a new pair (POST /auth/login, POST /auth/refresh): the refresh token is rotated on every use. */
export function storeTokens(tokens: Pick<TokenPair, 'access_token' | 'refresh_token'>): void {
  accessToken = tokens.access_token;
  decoded = decodeJwt(tokens.access_token);
  sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  emit('session');
}

export function clearSession(): void {
  accessToken = null;
  decoded = null;
  sessionStorage.removeItem(REFRESH_KEY);
  emit('session');
}

/** Test hook only: replaces the in-memory access token without touching the refresh token. */
export function replaceAccessTokenForTest(token: string): void {
  accessToken = token;
  decoded = decodeJwt(token);
  emit('session');
}
