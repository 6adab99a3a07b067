// The bank's fault settings as the site last read them (GET/PUT/DELETE {bank}/faults, local stages only):
// the notice « la banque n'est pas à ses réglages par défaut » and the teaching panel's chaos form both
// show them. Read at start, after each order and after each change.
import { type ApiResponse, callBank } from './api';
import { type BankFaults, type FaultsPatch, parseFaultsAnswer } from './api-bodies';
import { BANK_URL } from './config';
import { emit } from './events';

export type BankFaultsView = { kind: 'none' } | { kind: 'unreachable' } | { kind: 'ready'; faults: BankFaults };

let view: BankFaultsView = { kind: BANK_URL === null ? 'none' : 'unreachable' };

export function bankFaults(): BankFaultsView {
  return view;
}

function take(res: ApiResponse): BankFaults | null {
  const faults = res.status === 200 ? parseFaultsAnswer(res.body) : null;
  if (faults !== null) view = { kind: 'ready', faults };
  else if (res.status === 0 && BANK_URL !== null) view = { kind: 'unreachable' };
  emit('faults');
  return faults;
}

export async function readBankFaults(options: { poll?: boolean } = {}): Promise<BankFaults | null> {
  if (BANK_URL === null) return null;
  return take(await callBank('GET', '/faults', options.poll ? { poll: true } : {}));
}

export async function saveBankFaults(patch: FaultsPatch): Promise<ApiResponse> {
  const res = await callBank('PUT', '/faults', { body: patch });
  take(res);
  return res;
}

/** DELETE {bank}/faults: the bank's documented defaults again. */
export async function resetBankFaults(): Promise<ApiResponse> {
  const res = await callBank('DELETE', '/faults');
  take(res);
  return res;
}
