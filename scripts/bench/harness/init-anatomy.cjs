// One module init taken apart, in a fresh process, after the Lambda runtime's own modules
// (lambda-runtime.cjs): compiling the bundle the way Node's CommonJS loader does (the module
// wrapper's parameters, vm.compileFunction), then running its top-level code, within which the Node
// built-in modules it loads (those the runtime had not) and the garbage collections are timed apart.
// Usage: node init-anatomy.cjs <bundle.js>   (prints one JSON line, times in ms)
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

require('./lambda-runtime.cjs').loadRuntimeModules();
const file = path.resolve(process.argv[2]);
const source = readFileSync(file, 'utf8');

const gcs = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });

// Built-ins loaded while the bundle runs: the outermost load of each, inclusive of what it loads.
let builtinsMs = 0;
let depth = 0;
const builtins = [];
// Module._load is the CommonJS loader's entry point for every require (not in Node's types).
const loader = /** @type {{ _load: (request: string, ...rest: unknown[]) => unknown }} */ (/** @type {unknown} */ (Module));
const load = loader._load;
loader._load = function (request, ...rest) {
  if (!Module.isBuiltin(request) || depth > 0) return load.call(this, request, ...rest);
  const started = performance.now();
  depth++;
  try {
    return load.call(this, request, ...rest);
  } finally {
    depth--;
    const ms = performance.now() - started;
    builtinsMs += ms;
    if (ms >= 0.05 && !builtins.includes(request)) builtins.push(request);
  }
};

const t0 = performance.now();
const wrapper = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
const t1 = performance.now();
const loaded = new Module(file, null);
loaded.filename = file;
wrapper.call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
const t2 = performance.now();

// GC entries arrive asynchronously: those that started while the bundle compiled or ran.
setTimeout(() => {
  const gcMs = gcs.filter((entry) => entry.startTime >= t0 && entry.startTime < t2).reduce((sum, entry) => sum + entry.duration, 0);
  process.stdout.write(`${JSON.stringify({ compileMs: t1 - t0, runMs: t2 - t1, builtinsMs, gcMs, builtins })}\n`);
  process.exit(0);
}, 20);
