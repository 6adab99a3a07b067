// Preloaded (`node --require`) into the serverless-offline processes the local scripts start. Their
// output is a pipe to the script that started them, and an order writes about fifteen log lines
// there (serverless-offline's own lines and the functions' JSON lines): one write(2) each, each waking
// the reader, which cost ≈ 0.5 ms of CPU per order across the stack (BENCHMARKS.md). Here the
// lines written during one turn of the event loop leave in one write at its end, in order. A
// terminal still gets each line at once.
//
// The price: a process killed outright (SIGKILL) loses the lines of its last turn. An exit, a
// crash on an uncaught exception, or SIGTERM through serverless-offline's shutdown writes them first.

for (const stream of [process.stdout, process.stderr]) {
  if (stream.isTTY) continue;
  const write = stream.write.bind(stream);
  /** @type {(string | Buffer)[]} */
  let pending = [];
  /** @type {((error?: Error | null) => void)[]} */
  let callbacks = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunks = pending;
    const done = callbacks;
    pending = [];
    callbacks = [];
    const text = chunks.every((chunk) => typeof chunk === 'string')
      ? chunks.join('')
      : Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
    const afterWrite = (/** @type {Error | null | undefined} */ error) => {
      for (const callback of done) callback(error);
    };
    write(text, done.length === 0 ? undefined : afterWrite);
  };

  /**
   * Same signature as stream.write.
   * @param {string | Uint8Array} chunk
   * @param {BufferEncoding | ((error?: Error | null) => void)} [encodingOrCallback]
   * @param {(error?: Error | null) => void} [lastCallback]
   */
  const batchedWrite = (chunk, encodingOrCallback, lastCallback) => {
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : lastCallback;
    const utf8 = !encoding || encoding === 'utf8' || encoding === 'utf-8';
    pending.push(typeof chunk === 'string' ? (utf8 ? chunk : Buffer.from(chunk, encoding)) : Buffer.from(chunk));
    if (callback) callbacks.push(callback);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return true;
  };
  stream.write = /** @type {typeof stream.write} */ (batchedWrite);

  process.on('exit', flush);
}
