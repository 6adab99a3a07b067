import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PENDING_INDEX } from './orders-repository';

describe('the orders table', () => {
  it('declares, in serverless.yml, the sparse index the repository queries (and grants the reconciler that index)', () => {
    // Prepare: the yml cannot import the constant, so its copies are checked here.
    const text = readFileSync(path.join(__dirname, '../../serverless.yml'), 'utf8');

    // Act
    const declared = [...text.matchAll(/IndexName:\s*([\w-]+)/g)].map((match) => match[1]);
    const granted = [...text.matchAll(/OrdersTable\.Arn,\s*index,\s*([\w-]+)/g)].map((match) => match[1]);

    // Assess
    expect(declared).toEqual([PENDING_INDEX]);
    expect(granted).toEqual([PENDING_INDEX]);
  });
});
