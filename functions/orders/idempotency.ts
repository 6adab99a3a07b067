import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyInconsistentStateError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { cartFingerprint } from './catalogue';
import { MESSAGES, OrderError } from './errors';
import type { OrderOutcome, PlaceOrderInput } from './place-order';

/** What Powertools sees: the key is `[username, idempotencyKey]`, the payload check is the cart's fingerprint. */
interface IdempotentRequest {
  username: string;
  idempotencyKey: string;
  fingerprint: string;
  input: PlaceOrderInput;
}

export interface IdempotentOrders {
  /** Lets Powertools bound an in-progress record by the invocation's remaining time. */
  registerContext(context: Context): void;
  place(input: PlaceOrderInput): Promise<OrderOutcome>;
}

/**
 * Powertools Idempotency around `place`, keyed per user: same key and same cart → the
 * first outcome again without running `place`; same key, other cart → 422; while the
 * first request runs → 409. Only outcomes (201/402) are stored: when `place` throws (a
 * 503), Powertools deletes the record and a retry runs again — and finds the order the
 * first attempt bound to the key (see `placeOrder`).
 */
export function createIdempotentOrders(
  place: (input: PlaceOrderInput) => Promise<OrderOutcome>,
  options: { persistenceStore: BasePersistenceLayer; expiresAfterSeconds: number },
): IdempotentOrders {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[username, idempotencyKey]',
    payloadValidationJmesPath: 'fingerprint',
    expiresAfterSeconds: options.expiresAfterSeconds,
    hashFunction: 'sha256',
    throwOnNoIdempotencyKey: true,
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
  const placeOnce = makeIdempotent((request: IdempotentRequest) => place(request.input), {
    persistenceStore: options.persistenceStore,
    config,
    keyPrefix: 'orders#placeOrder',
  });

  return {
    registerContext: (context) => config.registerLambdaContext(context),
    async place(input) {
      if (input.idempotencyKey === undefined) return place(input);
      try {
        return (await placeOnce({
          username: input.username,
          idempotencyKey: input.idempotencyKey,
          fingerprint: cartFingerprint(input.cart),
          input,
        })) as OrderOutcome;
      } catch (error) {
        throw translate(error);
      }
    },
  };
}

function translate(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError) return new OrderError('IDEMPOTENCY_KEY_REUSED', MESSAGES.idempotencyKeyReused);
  if (error instanceof IdempotencyAlreadyInProgressError || error instanceof IdempotencyInconsistentStateError) {
    return new OrderError('IDEMPOTENCY_IN_PROGRESS', MESSAGES.idempotencyInProgress, {}, { 'Retry-After': '1' });
  }
  return error;
}
