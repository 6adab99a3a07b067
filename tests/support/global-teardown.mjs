// Called once per project that named the global setup: the first call stops the stack.
export default async function globalTeardown() {
  const stack = globalThis.__STACK__;
  globalThis.__STACK__ = undefined;
  await stack?.stop();
}
