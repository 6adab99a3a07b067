import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * The serverless-offline processes' output (scripts/local/batched-output.cjs): the lines of one
 * event-loop turn reach the reader in one write, in order, and none is held back past its turn or
 * lost when the process exits.
 */
const preload = path.resolve(__dirname, '..', '..', 'scripts', 'local', 'batched-output.cjs');

/** Runs `script` under the preload with piped output; returns each read of stdout and all of stderr. */
function run(script: string): Promise<{ reads: string[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, ['--require', preload, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const reads: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => reads.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ reads, stderr, code })));
}

// Holds the turn for 100 ms between two writes: unbatched, the reader would get the first line alone.
const busy = 'const until = Date.now() + 100; while (Date.now() < until);';

describe('batched output of the serverless-offline processes', () => {
  it('writes the lines of one turn at its end, in one piece and in order', async () => {
    const { reads } = await run(`console.log('one'); ${busy} process.stdout.write('two\\n'); console.log('three');`);
    expect(reads).toEqual(['one\ntwo\nthree\n']);
  });

  it('does not hold lines past their turn: later turns are later writes', async () => {
    const { reads } = await run(`console.log('first'); setTimeout(() => { console.log('second'); ${busy} }, 100);`);
    expect(reads).toEqual(['first\n', 'second\n']);
  });

  it('keeps bytes written as buffers or in another encoding', async () => {
    const { reads } = await run(`process.stdout.write(Buffer.from('é-')); process.stdout.write('6869', 'hex'); console.log('!');`);
    expect(reads.join('')).toBe('é-hi!\n');
  });

  it('calls each write callback once its line is written', async () => {
    const { reads } = await run(`process.stdout.write('a\\n', () => process.stdout.write('after a\\n')); process.stdout.write('b\\n', 'utf8', () => {});`);
    expect(reads.join('')).toBe('a\nb\nafter a\n');
  });

  it('writes what is pending when the process exits or crashes', async () => {
    const exited = await run(`console.log('before exit'); process.exit(3);`);
    expect(exited).toMatchObject({ code: 3, reads: ['before exit\n'] });
    const crashed = await run(`console.log('before crash'); console.error('on stderr'); throw new Error('boom');`);
    expect(crashed.code).toBe(1);
    expect(crashed.reads).toEqual(['before crash\n']);
    expect(crashed.stderr).toContain('on stderr\n');
    expect(crashed.stderr).toContain('boom');
  });
});
