import { describe, expect, it } from '@jest/globals';
import { faultsBody } from './schemas';

describe('faultsBody', () => {
  it('keeps rates to 6 decimal places, so that DynamoDB can store any accepted value', () => {
    expect(faultsBody.parse({ success_rate: 5e-324, error_rate: 8.4e-323 })).toEqual({ success_rate: 0, error_rate: 0 });
    expect(faultsBody.parse({ success_rate: 0.9999999999999999, error_rate: 0.1234567 })).toEqual({ success_rate: 1, error_rate: 0.123457 });
    expect(faultsBody.parse({ success_rate: 0.5 })).toEqual({ success_rate: 0.5 });
  });

  it('still refuses rates outside [0, 1]', () => {
    expect(faultsBody.safeParse({ success_rate: 1.0000001 }).success).toBe(false);
    expect(faultsBody.safeParse({ error_rate: -1e-9 }).success).toBe(false);
  });
});
