// The notice above every page while the bank is not at its documented defaults (a fault left set by a
// student, another tab, or an earlier session): what differs, and a button that puts the defaults back.

import type { FaultSettings } from './api-bodies';
import { bankFaults, readBankFaults, resetBankFaults } from './bank-faults';
import { h, replaceChildren } from './dom';
import { on } from './events';
import { preservingFocus } from './focus';
import { t } from './i18n';
import { spinner } from './ui';

let resetting = false;
let failedStatus: number | null = null;

const percent = (rate: number) => Math.round(rate * 100);

/** What differs from the defaults, in words (« succès 0 % (par défaut 100 %) », « en panne »). */
function describeChanges(faults: FaultSettings, defaults: FaultSettings): string {
  const changes: string[] = [];
  if (faults.down !== defaults.down && faults.down) changes.push(t('bank.down'));
  if (faults.success_rate !== defaults.success_rate)
    changes.push(t('bank.successRate', { value: percent(faults.success_rate), default: percent(defaults.success_rate) }));
  if (faults.error_rate !== defaults.error_rate) changes.push(t('bank.errorRate', { value: percent(faults.error_rate), default: percent(defaults.error_rate) }));
  if (faults.latency_ms !== defaults.latency_ms) changes.push(t('bank.latency', { value: faults.latency_ms, default: defaults.latency_ms }));
  return changes.join(', ');
}

async function reset(): Promise<void> {
  if (resetting) return;
  resetting = true;
  failedStatus = null;
  render(container);
  const res = await resetBankFaults();
  resetting = false;
  failedStatus = res.status === 200 ? null : res.status;
  render(container);
  if (res.status === 200) document.getElementById('page-title')?.focus({ preventScroll: true });
}

let container: HTMLElement = document.createElement('div');

function render(target: HTMLElement): void {
  const view = bankFaults();
  const faults = view.kind === 'ready' ? view.faults : null;
  if (faults === null || faults.at_defaults) {
    replaceChildren(target);
    target.hidden = true;
    return;
  }
  target.hidden = false;
  const changes = describeChanges(faults, faults.defaults);
  preservingFocus(() =>
    replaceChildren(
      target,
      h(
        'div',
        {
          class: 'mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 text-sm',
          attrs: { 'data-testid': 'bank-not-default' },
        },
        h('p', { class: 'min-w-0 flex-1' }, h('span', { attrs: { 'aria-hidden': 'true' } }, '⚠ '), t('bank.notDefault', { changes })),
        h(
          'button',
          {
            class: 'btn-small border-amber-900 text-amber-950',
            attrs: { id: 'bank-reset', type: 'button', disabled: resetting, 'aria-busy': String(resetting) },
            on: { click: () => void reset() },
          },
          resetting && spinner(),
          resetting ? t('bank.resetting') : t('bank.reset'),
        ),
        failedStatus !== null && h('p', { class: 'w-full font-medium text-rose-800', attrs: { role: 'alert' } }, t('bank.resetFailed', { status: failedStatus })),
      ),
    ),
  );
}

/** Mounts the notice in `target` and reads the bank's settings once (then after each order or change). */
export function mountBankNotice(target: HTMLElement): void {
  container = target;
  render(target);
  on('faults', () => render(target));
  on('lang', () => render(target));
  void readBankFaults();
}
