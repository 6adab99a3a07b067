// Handlers log one JSON line per request; in unit tests those lines are noise.
// A test that checks logging turns its level back on.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// esbuild defines this at build time (see lib/local-stage.d.ts); tests run the local build.
(globalThis as { __LOCAL_STAGE__?: boolean }).__LOCAL_STAGE__ = true;
