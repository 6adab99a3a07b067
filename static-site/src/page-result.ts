import { getLastOutcome, type OrderOutcome, type OutcomeKind } from './cart';
import { h } from './dom';
import { errorText, type MessageKey, t } from './i18n';
import { formatCents } from './money';
import { acknowledgeSettledOrder, followUnconfirmedOrder } from './order-flow';
import { navigate } from './router';
import { currentUser } from './session';
import { pageHeading, requestRender } from './ui';

/** An unconfirmed order is followed while its result page is shown, and the page turns to its final answer. */
export function enterResult(): void {
  acknowledgeSettledOrder();
  followUnconfirmedOrder(requestRender, { onResultPage: true });
}

const headings: Record<OutcomeKind, MessageKey> = {
  ok: 'result.ok',
  declined: 'result.declined',
  unavailable: 'result.unavailable',
  pending: 'result.pending',
  auth: 'result.auth',
  error: 'result.error',
};

const tones: Record<OutcomeKind, string> = {
  ok: 'bg-emerald-50 text-emerald-900 ring-emerald-300',
  declined: 'bg-rose-50 text-rose-900 ring-rose-300',
  unavailable: 'bg-amber-50 text-amber-900 ring-amber-300',
  pending: 'bg-sky-50 text-sky-900 ring-sky-300',
  auth: 'bg-rose-50 text-rose-900 ring-rose-300',
  error: 'bg-rose-50 text-rose-900 ring-rose-300',
};

const icons: Record<OutcomeKind, string> = { ok: '✓', declined: '✕', unavailable: '⚠', pending: '⧗', auth: '⚠', error: '✕' };

/**
 * The one sentence under the headline: which failure it was, from the answer's code, with the delay the API
 * gave. The three 503s differ: the bank was not called (BREAKER_OPEN), the bank was called and the order
 * FAILED (BANK_UNAVAILABLE), or the outcome is unknown and being verified (PAYMENT_PENDING).
 */
function detailOf(outcome: OrderOutcome): string | undefined {
  const seconds = outcome.retryAfter ?? 1;
  switch (outcome.kind) {
    case 'ok': {
      const user = currentUser();
      return user !== undefined ? t('result.okDetail', { user }) : undefined;
    }
    case 'declined':
      return t('result.declinedDetail');
    case 'unavailable':
      if (outcome.code === 'BREAKER_OPEN') return t('result.breakerOpen', { seconds });
      if (outcome.code === 'BANK_UNAVAILABLE') return t('result.bankDown', { seconds });
      if (outcome.httpStatus === 429) return t('result.throttled', { seconds });
      if (outcome.httpStatus === 200) return t('result.failedDetail');
      return errorText(outcome.httpStatus, outcome.code, outcome.message);
    case 'pending':
      // Never the server's « réessayez » here: the order may have been charged.
      if (outcome.code === 'PAYMENT_PENDING') return t('result.pendingBank', { seconds });
      if (outcome.httpStatus === 0) return t('result.pendingNetwork');
      return t('result.pendingDetail');
    case 'auth':
      return t('result.authDetail');
    case 'error':
      return errorText(outcome.httpStatus, outcome.code, outcome.message);
  }
}

function backButton(): HTMLButtonElement {
  return h('button', { class: 'btn-primary', attrs: { id: 'back-home', type: 'button' }, on: { click: () => navigate('/') } }, t('result.back'));
}

export function renderResult(): HTMLElement {
  const outcome = getLastOutcome();
  if (!outcome) {
    return h(
      'section',
      { class: 'card space-y-4', attrs: { 'aria-labelledby': 'page-title' } },
      pageHeading(t('result.title')),
      h('p', { class: 'text-sm text-slate-600' }, t('result.none')),
      backButton(),
    );
  }
  const heading = t(headings[outcome.kind]);
  const { order } = outcome;
  const explanation = detailOf(outcome);
  const rows = order.lines.map((line) =>
    h(
      'tr',
      { class: 'border-t border-slate-200' },
      h('th', { class: 'px-3 py-2 text-left font-medium', attrs: { scope: 'row' } }, line.article),
      h('td', { class: 'px-3 py-2 text-right tabular-nums' }, `× ${line.quantity}`),
      h('td', { class: 'px-3 py-2 text-right tabular-nums' }, formatCents(line.lineCents, order.currency)),
    ),
  );

  return h(
    'section',
    { class: 'card space-y-5', attrs: { 'aria-labelledby': 'page-title', 'data-testid': 'result', 'data-outcome': outcome.kind } },
    pageHeading(t('result.title')),
    h(
      'div',
      { class: `flex items-start gap-3 rounded-lg p-4 ring-1 ring-inset ${tones[outcome.kind]}`, attrs: { role: 'status' } },
      h('span', { class: 'text-2xl leading-none', attrs: { 'aria-hidden': 'true' } }, icons[outcome.kind]),
      h(
        'div',
        {},
        h('p', { class: 'text-lg font-semibold', attrs: { 'data-testid': 'result-heading' } }, heading),
        explanation !== undefined && h('p', { class: 'mt-1 text-sm', attrs: { 'data-testid': 'result-detail' } }, explanation),
        h('p', { class: 'mt-1 font-mono text-xs' }, `HTTP ${outcome.httpStatus || '—'}${outcome.code !== undefined ? ` · ${outcome.code}` : ''}`),
      ),
    ),
    order.orderId !== undefined &&
      h(
        'p',
        { class: 'text-sm' },
        h('span', { class: 'text-slate-600' }, `${t('result.orderId')} `),
        h('code', { class: 'font-mono text-xs break-all', attrs: { 'data-testid': 'order-id' } }, order.orderId),
      ),
    rows.length > 0 &&
      h(
        'div',
        { class: 'overflow-x-auto' },
        h(
          'table',
          { class: 'w-full text-sm' },
          h('caption', { class: 'pb-2 text-left text-sm font-semibold' }, t('result.summary')),
          h('tbody', {}, ...rows),
          h(
            'tfoot',
            {},
            h(
              'tr',
              { class: 'border-t-2 border-slate-300 font-semibold' },
              h('th', { class: 'px-3 py-2 text-left', attrs: { scope: 'row', colspan: 2 } }, t('home.total')),
              h(
                'td',
                { class: 'px-3 py-2 text-right tabular-nums', attrs: { 'data-testid': 'result-total', 'data-cents': order.totalCents } },
                formatCents(order.totalCents, order.currency),
              ),
            ),
          ),
        ),
      ),
    backButton(),
  );
}
