/**
 * True in builds for a local stage, false in deployed ones: esbuild replaces it at build time
 * (`custom.esbuild.define` in serverless.yml), so code under `if (__LOCAL_STAGE__)` is not in a
 * deployed bundle at all. Jest sets it to true (tests/support/quiet-logs.ts).
 */
declare const __LOCAL_STAGE__: boolean;
