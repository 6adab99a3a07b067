/** Bounded waits on conditions: no test sleeps for a fixed time when it can ask instead. */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString().slice(0, 200)}`);
    await sleep(intervalMs);
  }
}

/** Calls `run` until its result satisfies `done`, at most `attempts` times; returns the last result. */
export async function retryUntil<T>(run: () => Promise<T>, done: (result: T) => boolean, { attempts = 20, delayMs = 250 } = {}): Promise<T> {
  let result = await run();
  for (let attempt = 1; attempt < attempts && !done(result); attempt++) {
    await sleep(delayMs);
    result = await run();
  }
  return result;
}
