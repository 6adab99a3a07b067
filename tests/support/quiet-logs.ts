// Handlers log one JSON line per request; in unit tests those lines are noise.
// A test that checks logging turns its level back on.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
