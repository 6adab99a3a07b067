import { call } from './api';
import { type Order, type OrderStatus, parseOrdersPage } from './api-bodies';
import { HISTORY_PAGE_SIZE, RECONNECT_MS } from './config';
import { h } from './dom';
import { errorText, locale, type MessageKey, t } from './i18n';
import { formatCents } from './money';
import { currentPage } from './router';
import { isSignedIn } from './session';
import { notice, pageHeading, requestRender } from './ui';

interface HistoryState {
  orders: Order[];
  nextCursor?: string;
  loading: boolean;
  /** HTTP status of the failed load (0: the server could not be reached). */
  failed?: number;
}

let state: HistoryState = { orders: [], loading: false };
let generation = 0;
let reconnect: ReturnType<typeof setTimeout> | undefined;

export function enterHistory(): void {
  state = { orders: [], loading: false };
  void loadPage();
}

/**
 * Loads the first page, or the one after `cursor`. `fromButton`: « Charger plus » was used; when it was the
 * last page the button goes away, and focus moves to the first order just loaded instead of the page body.
 */
async function loadPage(cursor?: string, options: { quiet?: boolean; fromButton?: boolean } = {}): Promise<void> {
  clearTimeout(reconnect);
  const started = ++generation;
  if (!options.quiet) {
    state = { ...state, loading: true };
    delete state.failed;
    requestRender();
  }
  const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
  if (cursor !== undefined) query.set('cursor', cursor);
  const res = await call('GET', `/api/orders?${query.toString()}`, { auth: true });
  // The user may have left (or reopened) the page while this page was loading.
  if (started !== generation || (res.status === 401 && !isSignedIn())) return;
  const page = res.status === 200 ? parseOrdersPage(res.body) : null;
  const next: HistoryState = { orders: state.orders, loading: false };
  const focusWasOnButton = document.activeElement?.id === 'history-more';
  if (page) {
    next.orders = [...state.orders, ...page.orders];
    if (page.next_cursor !== undefined) next.nextCursor = page.next_cursor;
  } else {
    if (options.quiet && state.failed === res.status) return;
    next.failed = res.status;
    if (cursor !== undefined) next.nextCursor = cursor;
    if (res.status === 0) {
      reconnect = setTimeout(() => {
        if (currentPage() === '/history' && state.failed !== undefined) void loadPage(cursor, { quiet: true });
      }, RECONNECT_MS);
    }
  }
  state = next;
  requestRender();
  const firstNew = page?.orders[0];
  if (page && firstNew !== undefined && next.nextCursor === undefined && (focusWasOnButton || options.fromButton === true) && cursor !== undefined) {
    focusOrder(firstNew.order_id);
  }
}

/** Focuses the first shown copy of an order (the card on a phone, the table row otherwise). */
function focusOrder(orderId: string): void {
  const shown = [...document.querySelectorAll<HTMLElement>('[data-focus-order]')].find(
    (element) => element.dataset['focusOrder'] === orderId && element.offsetParent !== null,
  );
  shown?.focus();
}

function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' }).format(date);
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

const itemsOf = (order: Order) => order.items.map((line) => `${line.article} × ${line.quantity}`).join(', ');

function orderRow(order: Order): HTMLTableRowElement {
  return h(
    'tr',
    { class: 'border-t border-slate-200 align-top', attrs: { 'data-testid': 'history-row', 'data-order-id': order.order_id } },
    h('td', { class: 'px-3 py-2 whitespace-nowrap tabular-nums', attrs: { tabindex: -1, 'data-focus-order': order.order_id } }, formatDate(order.created_at)),
    h('td', { class: 'px-3 py-2' }, h('code', { class: 'font-mono text-xs break-all' }, order.order_id)),
    h('td', { class: 'px-3 py-2' }, itemsOf(order)),
    h('td', { class: 'px-3 py-2 text-right tabular-nums whitespace-nowrap' }, formatCents(order.total_cents, order.currency)),
    h('td', { class: 'px-3 py-2' }, statusBadge(order.status)),
  );
}

/** Below the `sm` breakpoint an order is a card: date, status and total first, where a phone shows them. */
function orderCard(order: Order): HTMLLIElement {
  const term = (key: MessageKey) => h('dt', { class: 'text-xs text-slate-600' }, t(key));
  return h(
    'li',
    { class: 'rounded-lg p-3 ring-1 ring-slate-200', attrs: { 'data-testid': 'history-card', 'data-order-id': order.order_id } },
    h(
      'div',
      { class: 'flex items-center justify-between gap-2' },
      h('h2', { class: 'text-sm font-semibold tabular-nums', attrs: { tabindex: -1, 'data-focus-order': order.order_id } }, formatDate(order.created_at)),
      statusBadge(order.status),
    ),
    h(
      'dl',
      { class: 'mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm' },
      term('history.total'),
      h('dd', { class: 'font-semibold tabular-nums', attrs: { 'data-testid': 'card-total' } }, formatCents(order.total_cents, order.currency)),
      term('history.items'),
      h('dd', {}, itemsOf(order)),
      term('history.order'),
      h('dd', {}, h('code', { class: 'font-mono text-xs break-all' }, order.order_id)),
    ),
  );
}

export function renderHistory(): HTMLElement {
  const { orders, loading, failed, nextCursor } = state;
  const header = (key: MessageKey, align = 'text-left') => h('th', { class: `px-3 py-2 ${align}`, attrs: { scope: 'col' } }, t(key));
  return h(
    'section',
    { class: 'card space-y-4', attrs: { 'aria-labelledby': 'page-title' } },
    pageHeading(t('history.title')),
    failed !== undefined &&
      h(
        'div',
        { class: 'flex flex-wrap items-center gap-3' },
        notice('error', failed === 0 ? errorText(0, undefined, undefined) : t('history.loadFailed'), 'history-error'),
        h(
          'button',
          {
            class: 'btn-secondary',
            attrs: { id: 'history-retry', type: 'button' },
            on: { click: () => void loadPage(state.nextCursor !== undefined && state.orders.length > 0 ? state.nextCursor : undefined) },
          },
          t('home.retry'),
        ),
      ),
    !loading && failed === undefined && orders.length === 0 && h('p', { class: 'text-sm text-slate-600', attrs: { 'data-testid': 'history-empty' } }, t('history.empty')),
    orders.length > 0 &&
      h('p', { class: 'text-xs text-slate-600', attrs: { 'aria-live': 'polite', 'data-testid': 'history-count' } }, t('history.count', { count: orders.length })),
    orders.length > 0 &&
      h('ul', { class: 'space-y-3 sm:hidden', attrs: { 'aria-label': t('history.listLabel'), 'data-testid': 'history-cards' } }, ...orders.map(orderCard)),
    orders.length > 0 &&
      h(
        'div',
        { class: 'hidden overflow-x-auto sm:block' },
        h(
          'table',
          { class: 'w-full text-sm', attrs: { 'data-testid': 'history' } },
          h('caption', { class: 'sr-only' }, t('history.title')),
          h(
            'thead',
            { class: 'text-xs uppercase tracking-wide text-slate-600' },
            h('tr', {}, header('history.date'), header('history.order'), header('history.items'), header('history.total', 'text-right'), header('history.status')),
          ),
          h('tbody', {}, ...orders.map(orderRow)),
        ),
      ),
    loading && orders.length === 0 && h('p', { class: 'text-sm text-slate-600', attrs: { role: 'status' } }, t('history.loading')),
    // Kept in place (aria-disabled, not removed) while loading, so keyboard focus stays on it.
    nextCursor !== undefined &&
      failed === undefined &&
      h(
        'button',
        {
          class: 'btn-secondary aria-disabled:opacity-50',
          attrs: { id: 'history-more', type: 'button', 'aria-disabled': loading ? 'true' : undefined },
          on: {
            click: () => {
              if (!state.loading) void loadPage(nextCursor, { fromButton: true });
            },
          },
        },
        loading ? t('history.loading') : t('history.more'),
      ),
  );
}
