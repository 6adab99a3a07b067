// Values fixed at build time by scripts/site/build.mjs (esbuild `define`).
declare const __API_URL__: string;
declare const __TEST_HOOKS__: boolean;

export const API_URL: string = __API_URL__.replace(/\/+$/, '');
export const TEST_HOOKS: boolean = __TEST_HOOKS__;

export const HEALTH_POLL_MS = 1000;
export const HISTORY_PAGE_SIZE = 10;
export const MAX_QUANTITY = 99;
export const REQUEST_LOG_SIZE = 60;
