import * as z from 'zod/mini';
import { MAX_QUANTITY } from './catalogue';

const MAX_LINES = 50;

const item = z.strictObject({
  article: z.string().check(z.minLength(1), z.maxLength(100)),
  quantity: z.number().check(z.int(), z.gte(1), z.lte(MAX_QUANTITY)),
  total_price: z.optional(z.number().check(z.gte(0), z.lte(1_000_000))),
});

export const orderBody = z.strictObject({
  items: z.array(item).check(z.minLength(1), z.maxLength(MAX_LINES)),
});

/** RFC 9110 header values are trimmed; inside, printable ASCII only (what every client can send). */
export const idempotencyKeyRule = z.string().check(z.regex(/^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/));

export const listQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

/** Order ids are ULIDs; anything outside this shape cannot be one. */
export const orderIdParameter = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
