// Generated from openapi.yaml by openapi-typescript (npm run gen:api-types). Do not edit: change the
// document and run the script again; tests/unit/api-types.test.ts checks this file is up to date.

export interface paths {
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Creates a user.
         * @description Names are unique case-insensitively (`Alice` and `alice` are one account).
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Opens a session.
         * @description The same 401 for an unknown user and a wrong password. Guessing is throttled per name, in
         *     DynamoDB: after 5 consecutive failures the name is locked 30 s (429), and the lock doubles
         *     at each further failure, up to 1 h.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Checks an access token. */
        post: operations["validateToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trades a refresh token for a new pair (the old refresh token is spent).
         * @description Presenting a spent refresh token again revokes the whole session (`REFRESH_TOKEN_REUSED`), and with
         *     it every access token of the session — except once within the reuse interval
         *     (`REFRESH_REUSE_INTERVAL_SECONDS`, 10 s by default) after it was spent: a client whose answer was
         *     lost, or two tabs refreshing together, get a second new pair in the same session. A 503 also
         *     answers a refresh that kept meeting concurrent refreshes of the same token; retrying is safe.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the session of a refresh token. An unknown token is not an error. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catalogue (the original project's 7 articles). */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The circuit breaker's state, the merchant credential's last verdict, and the bank's fault settings. */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's orders, newest first. */
        get: operations["listOrders"];
        put?: never;
        /**
         * Places and pays an order.
         * @description The order is written `PENDING` before the bank is called, with its id as the bank's
         *     idempotency key, then moved to `PAID` / `DECLINED` / `FAILED`. With an `Idempotency-Key`,
         *     the same key and cart answer the first outcome again (`Idempotent-Replayed: true`).
         *     The username comes from the token only; prices come from the catalogue only.
         */
        post: operations["placeOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/{order_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of the caller's orders; a PENDING one is settled on read by asking the bank.
         * @description An order left `PENDING` by a lost bank answer is settled at once from the bank's record
         *     (`PAID` only if the payment matches its id, amount and currency). A read never charges:
         *     if the bank has no payment, the order stays `PENDING` until it is old enough to be
         *     `FAILED` (`NOT_RECEIVED_BY_BANK`), and it is shown as it is while the bank cannot be asked.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document, as JSON. */
        get: operations["openApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example alice
         * @example test
         */
        Username: string;
        RegisterRequest: {
            username: components["schemas"]["Username"];
            /**
             * @description At least 8 characters (code points) and at most 72 bytes of UTF-8 (bcrypt's limit; never truncated), compared exactly as typed.
             * @example correct horse
             */
            password: string;
        };
        LoginRequest: {
            /**
             * @description Any name; one that breaks the registration rules simply has no account.
             * @example test
             */
            username: string;
            /** @example 1234 */
            password: string;
        };
        ValidateRequest: {
            token: string;
        };
        RefreshTokenRequest: {
            refresh_token: string;
        };
        /**
         * @example {
         *       "items": [
         *         {
         *           "article": "Fraises",
         *           "quantity": 2,
         *           "total_price": 5
         *         }
         *       ]
         *     }
         */
        Cart: {
            items: components["schemas"]["CartItem"][];
        };
        CartItem: {
            /**
             * @description A catalogue name, id or the original project's short name, ignoring case, accents and spacing. Lines
             *     naming the same article are merged; the merged quantity must stay ≤ 99.
             * @example Fraises
             * @example Laine
             * @example cookies
             * @example Pêches (kg)
             * @example PASTÈQUES
             * @example pates
             */
            article: string;
            quantity: number;
            /** @description The line total in euros; checked against the catalogue to the cent, never charged. */
            total_price?: number;
        };
        MessageOnly: {
            message: components["schemas"]["Message"];
        };
        Message: string;
        Registered: {
            /** @constant */
            message: "Utilisateur créé avec succès.";
            username: components["schemas"]["Username"];
        };
        TokenPair: {
            message: components["schemas"]["Message"];
            access_token: string;
            refresh_token: string;
            /** @constant */
            token_type: "Bearer";
            /** @example 3600 */
            expires_in: number;
            /** @example 604800 */
            refresh_expires_in: number;
        };
        TokenValid: {
            /** @constant */
            message: "Token valide";
            user: string;
            /** @description Epoch seconds. */
            expires_at: number;
        };
        Product: {
            id: string;
            article: string;
            /** @description Euros. */
            unit_price: number;
            /** @constant */
            currency: "EUR";
        };
        Health: {
            /** @enum {unknown} */
            breaker: "closed" | "open" | "half-open";
            breaker_retry_in_ms: number;
            /**
             * @description What the bank said of the shop's merchant key on the last call; `refused` is a fault on the shop's side.
             * @enum {unknown}
             */
            merchant_credential: "accepted" | "refused" | "unknown";
            bank: components["schemas"]["BankFaults"] | null;
        };
        /** @description The bank's fault settings, read from its local-only `/bank/faults` route (see bank/openapi.yaml). */
        BankFaults: {
            /** @description Probability that a new payment is approved. */
            success_rate: number;
            /** @description Delay before every answer, after the decision is recorded. */
            latency_ms: number;
            /** @description The bank answers 503 `BANK_DOWN` and records nothing. */
            down: boolean;
            /** @description Probability that an answer is lost (500 `BANK_ERROR`) after the bank did its work; drawn per call. */
            error_rate: number;
        };
        OrderLine: {
            article: string;
            quantity: number;
            unit_price: number;
            total_price: number;
        };
        /** @description What every view of an order shows. Amounts in euros, with the cents beside them. */
        OrderFields: {
            order_id: components["schemas"]["OrderId"];
            total: number;
            total_cents: number;
            /** @constant */
            currency: "EUR";
            items: components["schemas"]["OrderLine"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description Why a FAILED order was not charged. AMOUNT_MISMATCH: the bank holds a payment under its id that does not match it.
             * @enum {unknown}
             */
            failure_reason?: "BANK_DOWN" | "BANK_REJECTED" | "CREDENTIAL_REFUSED" | "BREAKER_OPEN" | "NOT_RECEIVED_BY_BANK" | "AMOUNT_MISMATCH";
        };
        /** @description A ULID (sorts by creation time). */
        OrderId: string;
        Order: {
            /** @enum {unknown} */
            status: "PENDING" | "PAID" | "DECLINED" | "FAILED";
        } & components["schemas"]["OrderFields"];
        OrdersPage: {
            orders: components["schemas"]["Order"][];
            next_cursor?: string;
        };
        OrderPaid: {
            /** @constant */
            status: "ok";
            message: components["schemas"]["Message"];
            /** @constant */
            order_status: "PAID";
        } & components["schemas"]["OrderFields"];
        OrderDeclined: {
            /** @constant */
            status: "error";
            /** @constant */
            code: "PAYMENT_DECLINED";
            message: components["schemas"]["Message"];
            /** @constant */
            order_status: "DECLINED";
        } & components["schemas"]["OrderFields"];
        ErrorFields: {
            message: components["schemas"]["Message"];
            code: string;
        };
        RequestRefused: {
            /** @enum {unknown} */
            code?: "INVALID_JSON" | "INVALID_CHARACTERS" | "VALIDATION_FAILED";
            details?: components["schemas"]["ValidationDetails"];
        } & components["schemas"]["ErrorFields"];
        /** @description With `VALIDATION_FAILED`, one entry per problem (`path` is dotted, empty for the body itself). */
        ValidationDetails: {
            path: string;
            message: components["schemas"]["Message"];
        }[];
        LoginBadRequest: {
            /** @enum {unknown} */
            code?: "INVALID_JSON" | "INVALID_CHARACTERS" | "VALIDATION_FAILED" | "PASSWORD_TOO_LONG";
            details?: components["schemas"]["ValidationDetails"];
        } & components["schemas"]["ErrorFields"];
        OrderBadRequest: {
            /** @enum {unknown} */
            code?: "INVALID_JSON" | "INVALID_CHARACTERS" | "VALIDATION_FAILED" | "INVALID_IDEMPOTENCY_KEY";
            details?: components["schemas"]["ValidationDetails"];
        } & components["schemas"]["ErrorFields"];
        ListBadRequest: {
            /** @enum {unknown} */
            code?: "VALIDATION_FAILED" | "INVALID_CURSOR";
        } & components["schemas"]["ErrorFields"];
        PayloadTooLarge: {
            /** @constant */
            code?: "PAYLOAD_TOO_LARGE";
        } & components["schemas"]["ErrorFields"];
        UnsupportedMediaType: {
            /** @constant */
            code?: "UNSUPPORTED_MEDIA_TYPE";
        } & components["schemas"]["ErrorFields"];
        StorageUnavailable: {
            /** @constant */
            message?: "Base de données indisponible, veuillez réessayer plus tard.";
            /** @constant */
            code?: "STORAGE_UNAVAILABLE";
        } & components["schemas"]["ErrorFields"];
        UsernameTaken: {
            /** @constant */
            code?: "USERNAME_TAKEN";
        } & components["schemas"]["ErrorFields"];
        InvalidCredentials: {
            /** @constant */
            message?: "Identifiants incorrects.";
            /** @constant */
            code?: "INVALID_CREDENTIALS";
        } & components["schemas"]["ErrorFields"];
        TooManyAttempts: {
            /** @constant */
            code?: "TOO_MANY_ATTEMPTS";
            /** @description Seconds. */
            retry_after: number;
        } & components["schemas"]["ErrorFields"];
        TokenRefused: {
            /** @enum {unknown} */
            message?: "Token expiré." | "Token invalide." | "Session terminée : reconnectez-vous.";
            /** @enum {unknown} */
            code?: "TOKEN_EXPIRED" | "TOKEN_INVALID" | "TOKEN_REVOKED";
        } & components["schemas"]["ErrorFields"];
        RefreshRefused: {
            /** @enum {unknown} */
            code?: "REFRESH_TOKEN_INVALID" | "REFRESH_TOKEN_REUSED";
        } & components["schemas"]["ErrorFields"];
        /**
         * @description On AWS, API Gateway's `UNAUTHORIZED` response `{message, code: "UNAUTHORIZED"}`;
         *     serverless-offline answers `{statusCode: 401, error: "Unauthorized", message}` instead.
         */
        Unauthorized: {
            message: components["schemas"]["Message"];
            /** @constant */
            code?: "UNAUTHORIZED";
            /** @constant */
            statusCode?: 401;
            /** @constant */
            error?: "Unauthorized";
        };
        IdempotencyInProgress: {
            /** @constant */
            code?: "IDEMPOTENCY_IN_PROGRESS";
        } & components["schemas"]["ErrorFields"];
        CartRefused: {
            /** @enum {unknown} */
            code?: "UNKNOWN_ARTICLE" | "PRICE_MISMATCH" | "QUANTITY_TOO_LARGE" | "IDEMPOTENCY_KEY_REUSED";
            /** @description The article as sent (UNKNOWN_ARTICLE) or as named by the catalogue. */
            article?: string;
            /** @description PRICE_MISMATCH — the line total sent. */
            total_price?: number;
            /** @description PRICE_MISMATCH — the catalogue's line total. */
            expected_total_price?: number;
        } & components["schemas"]["ErrorFields"];
        ServiceUnavailable: {
            /** @constant */
            status: "error_service";
            /** @enum {unknown} */
            message?: "Service indisponible, veuillez réessayer plus tard." | "Paiement en cours de vérification : ne repassez pas commande.";
            /** @enum {unknown} */
            code?: "BANK_UNAVAILABLE" | "PAYMENT_PENDING" | "BREAKER_OPEN";
            order_id?: components["schemas"]["OrderId"];
            /** @enum {unknown} */
            order_status?: "PENDING" | "FAILED";
            /** @enum {unknown} */
            failure_reason?: "BANK_DOWN" | "BANK_REJECTED" | "CREDENTIAL_REFUSED" | "BREAKER_OPEN" | "AMOUNT_MISMATCH";
            /** @description Seconds (as the Retry-After header). */
            retry_after: number;
        } & components["schemas"]["ErrorFields"];
        OrderNotFound: {
            /** @constant */
            code?: "ORDER_NOT_FOUND";
        } & components["schemas"]["ErrorFields"];
        OrderIdRefused: {
            /** @constant */
            code?: "INVALID_ORDER_ID";
        } & components["schemas"]["ErrorFields"];
    };
    responses: {
        /** @description Malformed JSON, forbidden characters, or a body that breaks its schema. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["RequestRefused"];
            };
        };
        /** @description A body over 16 KB. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PayloadTooLarge"];
            };
        };
        /** @description Not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnsupportedMediaType"];
            };
        };
        /** @description The database cannot be reached; nothing was done. */
        StorageUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["StorageUnavailable"];
            };
        };
    };
    parameters: {
        /**
         * @description 1–255 printable ASCII characters, scoped per user: the same key and cart answer the first
         *     outcome again; the same key with another cart is refused (422).
         */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before trying again. */
        RetryAfter: string;
        /** @description `true` when the answer is the first outcome of the same `Idempotency-Key`. */
        IdempotentReplayed: "true";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Registered"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsernameTaken"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["StorageUnavailable"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Logged in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Invalid body, or a password over 72 bytes (`PASSWORD_TOO_LONG`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginBadRequest"];
                };
            };
            /** @description Unknown user or wrong password. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvalidCredentials"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description The name is locked after too many failures. */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TooManyAttempts"];
                };
            };
            503: components["responses"]["StorageUnavailable"];
        };
    };
    validateToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ValidateRequest"];
            };
        };
        responses: {
            /** @description The token is valid. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenValid"];
                };
            };
            400: components["responses"]["BadRequest"];
            /**
             * @description Expired (`TOKEN_EXPIRED`, « Token expiré. »), invalid (`TOKEN_INVALID`, « Token invalide. »; also a
             *     token without a `sid` claim), or of a session that has ended — logout, refresh-token reuse, the
             *     session's absolute expiry (`TOKEN_REVOKED`, « Session terminée : reconnectez-vous. »). The session
             *     is read on every call, never cached.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenRefused"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["StorageUnavailable"];
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequest"];
            };
        };
        responses: {
            /** @description A new pair. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Unknown, expired, revoked (`REFRESH_TOKEN_INVALID`) or reused (`REFRESH_TOKEN_REUSED`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshRefused"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["StorageUnavailable"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequest"];
            };
        };
        responses: {
            /** @description Logged out (or there was nothing to end). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageOnly"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["StorageUnavailable"];
        };
    };
    listProducts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalogue. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"][];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The state. `bank` is null when the settings cannot be read. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    listOrders: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The `next_cursor` of the previous page (opaque). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrdersPage"];
                };
            };
            /** @description A bad `limit` (`VALIDATION_FAILED`) or `cursor` (`INVALID_CURSOR`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListBadRequest"];
                };
            };
            /** @description No token, or a token the authorizer refused. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Unauthorized"];
                };
            };
            503: components["responses"]["StorageUnavailable"];
        };
    };
    placeOrder: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1–255 printable ASCII characters, scoped per user: the same key and cart answer the first
                 *     outcome again; the same key with another cart is refused (422).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Cart"];
            };
        };
        responses: {
            /** @description Paid. */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderPaid"];
                };
            };
            /** @description Invalid body, or an invalid `Idempotency-Key` (`INVALID_IDEMPOTENCY_KEY`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderBadRequest"];
                };
            };
            /** @description No token, or a token the authorizer refused. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Unauthorized"];
                };
            };
            /** @description The bank declined the payment. */
            402: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderDeclined"];
                };
            };
            /** @description A request with the same `Idempotency-Key` is still running. */
            409: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdempotencyInProgress"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description A cart the catalogue refuses, or an `Idempotency-Key` already used for another cart. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CartRefused"];
                };
            };
            /**
             * @description `error_service`, and the code says which failure it was:
             *
             *     - `BREAKER_OPEN`: the bank was not called and nothing was written (no `order_id`);
             *     - `BANK_UNAVAILABLE`: the bank was down or refused before charging (also when it refused
             *       the shop's merchant key, or holds a payment under this order id that does not match
             *       it); the order is `FAILED` and nothing was charged — trying again is safe;
             *     - `PAYMENT_PENDING`: the bank's answer was lost; the order is `PENDING` and may have been
             *       charged. It is being verified: follow it with `GET /api/orders/{order_id}`, or resend
             *       the same request with the same `Idempotency-Key`. Do not order again with a new key.
             *
             *     Or the database cannot be reached (`STORAGE_UNAVAILABLE`).
             */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceUnavailable"] | components["schemas"]["StorageUnavailable"];
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Not an order id (`INVALID_ORDER_ID`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderIdRefused"];
                };
            };
            /** @description No token, or a token the authorizer refused. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Unauthorized"];
                };
            };
            /** @description No such order among the caller's (another user's order is not found either). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderNotFound"];
                };
            };
            503: components["responses"]["StorageUnavailable"];
        };
    };
    openApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        openapi: "3.1.0";
                        info: Record<string, never>;
                        paths: Record<string, never>;
                    };
                };
            };
        };
    };
}
