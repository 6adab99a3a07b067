import { httpErrorClass } from '../../lib/errors';

export type AuthErrorCode =
  | 'USERNAME_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'TOO_MANY_ATTEMPTS'
  | 'PASSWORD_TOO_LONG'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'TOKEN_REVOKED'
  | 'REFRESH_TOKEN_INVALID'
  | 'REFRESH_TOKEN_REUSED';

const STATUS: Record<AuthErrorCode, number> = {
  USERNAME_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_ATTEMPTS: 429,
  PASSWORD_TOO_LONG: 400,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  TOKEN_REVOKED: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
};

export class AuthError extends httpErrorClass('AuthError', STATUS) {}

export const MESSAGES = {
  registered: 'Utilisateur créé avec succès.',
  usernameTaken: "Ce nom d'utilisateur existe déjà.",
  loggedIn: 'Connexion réussie.',
  invalidCredentials: 'Identifiants incorrects.',
  tooManyAttempts: (seconds: number) => `Trop de tentatives. Réessayez dans ${seconds} s.`,
  tokenValid: 'Token valide',
  tokenExpired: 'Token expiré.',
  tokenInvalid: 'Token invalide.',
  tokenRevoked: 'Session terminée : reconnectez-vous.',
  refreshed: 'Token renouvelé.',
  refreshInvalid: 'Refresh token invalide ou expiré.',
  refreshReused: 'Refresh token déjà utilisé : la session est révoquée.',
  loggedOut: 'Déconnexion réussie.',
} as const;
