import { call } from './api';
import { parseOrdersPage, type Order, type OrderStatus } from './api-bodies';
import { API_URL, HISTORY_PAGE_SIZE } from './config';
import { h } from './dom';
import { locale, t } from './i18n';
import { formatCents } from './money';
import { isSignedIn } from './session';
import { notice, pageHeading, requestRender } from './ui';

interface HistoryState {
  orders: Order[];
  nextCursor?: string;
  loading: boolean;
  error?: string;
}

let state: HistoryState = { orders: [], loading: false };
let generation = 0;

export function enterHistory(): void {
  state = { orders: [], loading: false };
  void loadPage();
}

async function loadPage(cursor?: string): Promise<void> {
  const started = ++generation;
  state = { ...state, loading: true };
  delete state.error;
  requestRender();
  const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
  if (cursor !== undefined) query.set('cursor', cursor);
  const res = await call('GET', `/api/orders?${query.toString()}`, { auth: true });
  // The user may have left (or reopened) the page while this page was loading.
  if (started !== generation || (res.status === 401 && !isSignedIn())) return;
  const page = res.status === 200 ? parseOrdersPage(res.body) : null;
  const next: HistoryState = { orders: state.orders, loading: false };
  if (page) {
    next.orders = [...state.orders, ...page.orders];
    if (page.next_cursor !== undefined) next.nextCursor = page.next_cursor;
  } else {
    next.error = res.status === 0 ? t('error.network', { url: API_URL }) : t('history.loadFailed');
    if (cursor !== undefined) next.nextCursor = cursor;
  }
  state = next;
  requestRender();
}

function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}

const statusStyles: Record<OrderStatus, string> = {
  PAID: 'bg-emerald-100 text-emerald-800',
  DECLINED: 'bg-rose-100 text-rose-800',
  FAILED: 'bg-amber-100 text-amber-900',
  PENDING: 'bg-slate-200 text-slate-800',
};

function statusBadge(status: OrderStatus): HTMLElement {
  return h(
    'span',
    { class: `inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${statusStyles[status]}`, attrs: { 'data-status': status } },
    t(`status.${status}`),
  );
}

function orderRow(order: Order): HTMLTableRowElement {
  const items = order.items.map((line) => `${line.article} × ${line.quantity}`).join(', ');
  return h(
    'tr',
    { class: 'border-t border-slate-200 align-top', attrs: { 'data-testid': 'history-row', 'data-order-id': order.order_id } },
    h('td', { class: 'px-3 py-2 whitespace-nowrap tabular-nums' }, formatDate(order.created_at)),
    h('td', { class: 'px-3 py-2' }, h('code', { class: 'font-mono text-xs break-all' }, order.order_id)),
    h('td', { class: 'px-3 py-2' }, items),
    h('td', { class: 'px-3 py-2 text-right tabular-nums whitespace-nowrap' }, formatCents(order.total_cents, order.currency)),
    h('td', { class: 'px-3 py-2' }, statusBadge(order.status)),
  );
}

export function renderHistory(): HTMLElement {
  const { orders, loading, error, nextCursor } = state;
  const header = (key: Parameters<typeof t>[0], align = 'text-left') =>
    h('th', { class: `px-3 py-2 ${align}`, attrs: { scope: 'col' } }, t(key));
  return h(
    'section',
    { class: 'card space-y-4', attrs: { 'aria-labelledby': 'page-title' } },
    pageHeading(t('history.title')),
    error !== undefined && notice('error', error),
    !loading && !error && orders.length === 0 && h('p', { class: 'text-sm text-slate-600', attrs: { 'data-testid': 'history-empty' } }, t('history.empty')),
    orders.length > 0 &&
      h(
        'div',
        { class: 'overflow-x-auto' },
        h(
          'table',
          { class: 'w-full text-sm', attrs: { 'data-testid': 'history' } },
          h('caption', { class: 'pb-2 text-left text-xs text-slate-500', attrs: { 'aria-live': 'polite' } }, t('history.count', { count: orders.length })),
          h(
            'thead',
            { class: 'text-xs uppercase tracking-wide text-slate-500' },
            h('tr', {}, header('history.date'), header('history.order'), header('history.items'), header('history.total', 'text-right'), header('history.status')),
          ),
          h('tbody', {}, ...orders.map(orderRow)),
        ),
      ),
    loading && orders.length === 0 && h('p', { class: 'text-sm text-slate-600', attrs: { role: 'status' } }, t('history.loading')),
    // Kept in place (aria-disabled, not removed) while loading, so keyboard focus stays on it.
    nextCursor !== undefined &&
      h(
        'button',
        {
          class: 'btn-secondary aria-disabled:opacity-50',
          attrs: { id: 'history-more', type: 'button', 'aria-disabled': loading ? 'true' : undefined },
          on: { click: () => { if (!state.loading) void loadPage(nextCursor); } },
        },
        loading ? t('history.loading') : t('history.more'),
      ),
  );
}
