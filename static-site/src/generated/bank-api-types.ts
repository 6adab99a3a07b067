// Generated from bank/openapi.yaml by openapi-typescript (npm run gen:api-types). Do not edit: change the
// document and run the script again; tests/unit/api-types.test.ts checks this file is up to date.

export interface paths {
    "/bank/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Charges an order once (the order id is the idempotency key).
         * @description A repeated order id gets its first answer, and `calls` counts the presentations. The same
         *     order id with another amount or currency is refused (409) and the first payment stays.
         */
        post: operations["pay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bank/payments/{order_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bank's record of an order's payment. */
        get: operations["payment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bank/faults": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The simulated bank's fault settings (local stages only). */
        get: operations["getFaults"];
        /** Changes the fault settings given; the others keep their values (local stages only). */
        put: operations["setFaults"];
        post?: never;
        /** Puts every setting back to the bank's defaults (local stages only; `npm start` does it at start). */
        delete: operations["resetFaults"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Message: string;
        /** @description The merchant's order id (the shop sends its ULIDs). */
        OrderId: string;
        /**
         * @description ISO 4217.
         * @example EUR
         */
        Currency: string;
        PayRequest: {
            order_id: components["schemas"]["OrderId"];
            /** @description In cents (minor units). */
            amount: number;
            currency: components["schemas"]["Currency"];
        };
        /** @description Rates are kept to 6 decimal places. */
        FaultsPatch: {
            success_rate?: number;
            latency_ms?: number;
            down?: boolean;
            error_rate?: number;
        };
        /** @description The settings in force, whether they are the bank's defaults, and the defaults. */
        Faults: {
            /** @description True when every setting equals its default. */
            at_defaults: boolean;
            defaults: components["schemas"]["FaultSettings"];
        } & components["schemas"]["FaultSettingsFields"];
        FaultSettings: components["schemas"]["FaultSettingsFields"];
        FaultSettingsFields: {
            /** @description Probability that a new payment is approved. */
            success_rate: number;
            /** @description Delay before every answer, after the decision is recorded. */
            latency_ms: number;
            /** @description The bank answers 503 `BANK_DOWN` and records nothing. */
            down: boolean;
            /** @description Probability that an answer is lost (500 `BANK_ERROR`) after the bank did its work; drawn per call. */
            error_rate: number;
        };
        PaymentFields: {
            order_id: components["schemas"]["OrderId"];
            /** @description Cents. */
            amount: number;
            currency: components["schemas"]["Currency"];
            /** @enum {unknown} */
            status: "approved" | "declined";
            /** Format: date-time */
            created_at: string;
            /** @description How many times the order was presented to the bank. */
            calls: number;
        };
        Payment: components["schemas"]["PaymentFields"];
        PaymentApproved: {
            message: components["schemas"]["Message"];
            /** @constant */
            status?: "approved";
        } & components["schemas"]["PaymentFields"];
        PaymentDeclined: {
            message: components["schemas"]["Message"];
            /** @constant */
            code: "PAYMENT_DECLINED";
            /** @constant */
            status?: "declined";
        } & components["schemas"]["PaymentFields"];
        ErrorFields: {
            message: components["schemas"]["Message"];
            code: string;
        };
        RequestRefused: {
            /** @enum {unknown} */
            code?: "INVALID_JSON" | "INVALID_CHARACTERS" | "VALIDATION_FAILED";
            details?: {
                path: string;
                message: components["schemas"]["Message"];
            }[];
        } & components["schemas"]["ErrorFields"];
        MerchantUnauthorized: {
            /** @constant */
            code?: "MERCHANT_UNAUTHORIZED";
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
        AmountMismatch: {
            /** @constant */
            code?: "AMOUNT_MISMATCH";
            order_id: components["schemas"]["OrderId"];
        } & components["schemas"]["ErrorFields"];
        PaymentNotFound: {
            /** @constant */
            code?: "PAYMENT_NOT_FOUND";
            order_id: components["schemas"]["OrderId"];
        } & components["schemas"]["ErrorFields"];
        BankDown: {
            /** @constant */
            code?: "BANK_DOWN";
        } & components["schemas"]["ErrorFields"];
        BankError: {
            /** @constant */
            code?: "BANK_ERROR";
        } & components["schemas"]["ErrorFields"];
    };
    responses: {
        /** @description Malformed JSON, forbidden characters, or a body (or order id) that breaks its schema. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["RequestRefused"];
            };
        };
        /** @description No merchant key, or a wrong one. Nothing was read or recorded. */
        MerchantUnauthorized: {
            headers: {
                "WWW-Authenticate": "Bearer realm=\"bank\"";
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["MerchantUnauthorized"];
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
        /** @description Simulated fault (`error_rate`) — the bank did its work, then lost its answer. */
        BankError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BankError"];
            };
        };
        /** @description The bank is down (simulated, `BANK_DOWN`, nothing recorded) or its database cannot be reached. */
        BankUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BankDown"] | components["schemas"]["StorageUnavailable"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before trying again. */
        RetryAfter: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    pay: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PayRequest"];
            };
        };
        responses: {
            /** @description Approved. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentApproved"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["MerchantUnauthorized"];
            /** @description Declined. */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentDeclined"];
                };
            };
            /** @description This order id was presented before with another amount or currency. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AmountMismatch"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["BankError"];
            503: components["responses"]["BankUnavailable"];
        };
    };
    payment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["MerchantUnauthorized"];
            /** @description The bank never received this order. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentNotFound"];
                };
            };
            500: components["responses"]["BankError"];
            503: components["responses"]["BankUnavailable"];
        };
    };
    getFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Faults"];
                };
            };
            503: components["responses"]["StorageUnavailable"];
        };
    };
    setFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FaultsPatch"];
            };
        };
        responses: {
            /** @description The settings now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Faults"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["StorageUnavailable"];
        };
    };
    resetFaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings now (the defaults). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Faults"];
                };
            };
            503: components["responses"]["StorageUnavailable"];
        };
    };
}
