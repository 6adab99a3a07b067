// Decodes a JWT for display only. The browser never trusts these claims: the authorizer verifies the
// signature on every call, so a tampered token simply gets a 401.
export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: string;
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function decodeJwt(token: string): DecodedJwt | null {
  const [header, claims, signature] = token.split('.');
  if (header === undefined || claims === undefined || signature === undefined) return null;
  const decodedHeader = decodeSegment(header);
  const decodedClaims = decodeSegment(claims);
  if (!decodedHeader || !decodedClaims) return null;
  return { header: decodedHeader, claims: decodedClaims, signature };
}

export function claimString(token: DecodedJwt | null, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = token?.claims[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function expiresAtMs(token: DecodedJwt | null): number | undefined {
  const exp = token?.claims['exp'];
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/**
 * The token with some claims replaced and its header and signature kept, as a tamperer would make it:
 * the teaching panel's forged token, and the browser tests' expired one. Any verifier refuses it.
 */
export function withClaims(token: string, changes: Record<string, unknown>): string | null {
  const decoded = decodeJwt(token);
  const [header] = token.split('.');
  if (!decoded || header === undefined) return null;
  const bytes = new TextEncoder().encode(JSON.stringify({ ...decoded.claims, ...changes }));
  const payload = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `${header}.${payload}.${decoded.signature}`;
}
