// The skeleton stack (BENCHMARKS.md, "The skeleton"): the bench's stack with the handlers of the
// order path swapped for harness/skeleton-*.ts, which keep the order's I/O (the same emulators,
// hops and conditional writes, through the functions' own clients) and nothing else. What it
// reaches bounds what any change to the functions' code could reach on this stack.
import path from 'node:path';
import { build } from 'esbuild';
import { bundleServices } from '../../local/services.mjs';
import { declaredFunctions, deployedEsbuildOptions, serviceDirs } from './build.mjs';

const harness = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'harness');

/** Which function each skeleton handler replaces. */
const SWAPS = [
  { service: 'shop', fn: 'authorizer', entry: 'skeleton-authorizer.ts' },
  { service: 'shop', fn: 'orders', entry: 'skeleton-orders.ts' },
  { service: 'bank', fn: 'payments', entry: 'skeleton-bank.ts' },
];

/**
 * Both services bundled as `npm start` bundles them, with the order path's handlers replaced, for
 * startStack's `bundles`. Registration, login and the rest keep their real handlers.
 * @param {{ stage: string }} options
 * @returns {Promise<import('../../local/services.mjs').Bundles>}
 */
export async function skeletonBundles({ stage }) {
  const bundles = await bundleServices({ stage });
  try {
    await Promise.all(
      SWAPS.map(({ service, fn, entry }) => {
        const handler = declaredFunctions(service)[fn]?.handler;
        if (!handler) throw new Error(`${service}: no function ${fn} to replace with ${entry}`);
        const file = `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
        return build({
          ...deployedEsbuildOptions(service),
          entryPoints: [path.join(harness, entry)],
          outfile: path.join(serviceDirs[service], bundles[service].folder, file),
          // Its own map over the replaced handler's: profile.mjs --skeleton names frames through it.
          sourcemap: true,
          logLevel: 'error',
        });
      }),
    );
  } catch (error) {
    bundles.remove();
    throw error;
  }
  return bundles;
}
