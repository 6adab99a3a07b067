// Values fixed at build time by scripts/site/build.mjs (esbuild `define`).
declare const __API_URL__: string;
declare const __BANK_URL__: string;

export const API_URL: string = __API_URL__.replace(/\/+$/, '');
/** The bank's own service (its fault controls); null when the site was built without it. */
export const BANK_URL: string | null = __BANK_URL__.replace(/\/+$/, '') || null;

export const HEALTH_POLL_MS = 1000;
/** How often a page that could not reach the server tries again by itself. */
export const RECONNECT_MS = 3000;
export const HISTORY_PAGE_SIZE = 10;
export const MAX_QUANTITY = 99;
export const REQUEST_LOG_SIZE = 60;
/** The bank's own limit on its simulated latency. */
export const MAX_BANK_LATENCY_MS = 5000;
/** Waits between two checks of an unconfirmed order: 1 s at first, then backing off to a few seconds. */
export const FOLLOW_DELAYS_MS: readonly number[] = [1000, 1000, 1000, 2000, 2000, 3000, 4000];
