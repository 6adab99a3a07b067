import { describe, expect, it } from '@jest/globals';
import { readOrdersConfig } from './config';
import { fakeBank } from './in-memory';
import { crashAfterBankAnswer } from './test-faults';

describe('the crash-after-bank-answer switch', () => {
  it('lets the bank charge, then kills the process before the caller sees the answer', async () => {
    // Prepare
    const bank = fakeBank();
    const events: string[] = [];
    bank.whilePaying((orderId) => {
      events.push(`bank charged ${orderId}`);
    });
    const crashing = crashAfterBankAnswer(bank.client, () => events.push('killed'));

    // Act
    const result = crashing.pay({ orderId: 'o1', amountCents: 500, currency: 'EUR' });

    // Assess
    await expect(result).rejects.toThrow('crashed');
    expect(events).toEqual(['bank charged o1', 'killed']);
    expect(bank.payments.get('o1')).toEqual({ orderId: 'o1', status: 'APPROVED', amountCents: 500, currency: 'EUR' });
    await expect(crashing.findPayment('o1')).resolves.toBeDefined();
  });

  it('is honoured on local stages only', () => {
    const env = { ORDERS_TABLE: 'o', BANK_URL: 'http://127.0.0.1:1/bank', BANK_MERCHANT_KEY: 'k'.repeat(32), FAULT_CRASH_AFTER_BANK_ANSWER: 'true' };
    expect(readOrdersConfig({ ...env, STAGE: 'test' }).crashAfterBankAnswer).toBe(true);
    expect(readOrdersConfig({ ...env, STAGE: 'prod' }).crashAfterBankAnswer).toBe(false);
    expect(readOrdersConfig({ ...env, STAGE: 'local', FAULT_CRASH_AFTER_BANK_ANSWER: undefined }).crashAfterBankAnswer).toBe(false);
  });
});
