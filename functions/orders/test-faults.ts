import type { BankClient } from './ports';

/**
 * Test-only fault switch (`FAULT_CRASH_AFTER_BANK_ANSWER=true`, honoured on local stages only):
 * the process is killed the moment the bank has answered a payment, before the order's status
 * is updated. That is the crash the order flow must survive: the bank has charged, the order
 * stays PENDING, and a retry with the same Idempotency-Key or the reconciler settles it.
 */
export function crashAfterBankAnswer(bank: BankClient, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): BankClient {
  return {
    ...bank,
    async pay(request) {
      await bank.pay(request);
      kill();
      // Never reached after a real SIGKILL; a fake `kill` in a unit test ends here.
      throw new Error('crashed after the bank answered');
    },
  };
}
