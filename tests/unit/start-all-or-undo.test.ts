import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';

/**
 * startAllOrUndo (scripts/local/processes.mjs): what the local stack, the fault stack and the bundles
 * use to start things side by side without leaving one running when another fails.
 */
type Start = [Promise<unknown>, (started: unknown) => unknown];
let startAllOrUndo: (starts: Start[]) => Promise<unknown[]>;
beforeAll(async () => {
  ({ startAllOrUndo } = await import(path.resolve(__dirname, '../../scripts/local/processes.mjs')));
});

describe('startAllOrUndo', () => {
  it('resolves with every result in order and undoes nothing when all start', async () => {
    const undone: unknown[] = [];
    const undo = (started: unknown) => undone.push(started);
    const slow = new Promise((resolve) => setTimeout(() => resolve('database'), 20));
    await expect(
      startAllOrUndo([
        [slow, undo],
        [Promise.resolve('bundles'), undo],
      ]),
    ).resolves.toEqual(['database', 'bundles']);
    expect(undone).toEqual([]);
  });

  it('undoes what started, waits for the undo, and throws the failure', async () => {
    const undone: unknown[] = [];
    const undo = async (started: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      undone.push(started);
    };
    const failure = new Error('bundle failed');
    await expect(
      startAllOrUndo([
        [Promise.resolve('database'), undo],
        [Promise.reject(failure), undo],
        [Promise.resolve('other'), undo],
      ]),
    ).rejects.toBe(failure);
    expect(undone.sort()).toEqual(['database', 'other']);
  });
});
