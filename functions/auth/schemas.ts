import * as z from 'zod/mini';
import { USERNAME_PATTERN } from './model';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARACTERS } from './passwords';

const bytes = (value: string) => Buffer.byteLength(value, 'utf8');
/** Characters as a person counts them (code points), not UTF-16 units or bytes. */
const characters = (value: string) => [...value].length;

const usernameRule = z
  .string()
  .check(z.regex(USERNAME_PATTERN, "Le nom d'utilisateur doit faire 3 à 32 caractères : lettres sans accent, chiffres, « . », « _ » ou « - »."));

const newPasswordRule = z.string().check(
  z.refine((value) => characters(value) >= PASSWORD_MIN_CHARACTERS, `Le mot de passe doit faire au moins ${PASSWORD_MIN_CHARACTERS} caractères.`),
  z.refine((value) => bytes(value) <= PASSWORD_MAX_BYTES, `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_BYTES} octets (limite de bcrypt).`),
);

export const registerBody = z.strictObject({ username: usernameRule, password: newPasswordRule });

/** Login checks no rules beyond sanity: a name that breaks them simply has no account. */
export const loginBody = z.strictObject({
  username: z.string().check(z.minLength(1), z.maxLength(256)),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
});

export const validateBody = z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(16_384)) });

export const refreshTokenBody = z.strictObject({ refresh_token: z.string().check(z.minLength(1), z.maxLength(512)) });
