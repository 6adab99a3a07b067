import { asOrder, asProducts, call, messageOf, type ApiResponse, type Product } from './api';
import {
  cartLines,
  clearCart,
  endSubmission,
  quantityOf,
  setLastOutcome,
  setQuantity,
  submissionIdempotencyKey,
  totalCents,
  type CartLine,
  type OrderOutcome,
} from './cart';
import { API_URL, MAX_QUANTITY } from './config';
import { h } from './dom';
import { t } from './i18n';
import { formatCents, toCents } from './money';
import { navigate } from './router';
import { isSignedIn } from './session';
import { notice, pageHeading, requestRender } from './ui';

type CatalogueState = { kind: 'loading' } | { kind: 'failed'; text: string } | { kind: 'ready'; products: Product[] };

let catalogue: CatalogueState = { kind: 'loading' };
let buying = false;
let updateCartView: () => void = () => undefined;

export function enterHome(): void {
  if (catalogue.kind !== 'ready') void loadCatalogue();
}

async function loadCatalogue(): Promise<void> {
  catalogue = { kind: 'loading' };
  requestRender();
  const res = await call('GET', '/api/products');
  const products = res.status === 200 ? asProducts(res.body) : null;
  catalogue = products
    ? { kind: 'ready', products }
    : { kind: 'failed', text: res.status === 0 ? t('error.network', { url: API_URL }) : t('home.loadFailed') };
  requestRender();
}

function classify(res: ApiResponse, lines: readonly CartLine[]): OrderOutcome {
  const submitted = {
    status: 'UNKNOWN',
    items: lines.map((line) => ({ article: line.product.article, quantity: line.quantity, lineTotal: line.lineCents / 100 })),
  };
  const body = asOrder(res.body);
  const status = body?.status;
  const order = { ...submitted, ...body, items: body && body.items.length > 0 ? body.items : submitted.items };
  const computed = totalCents(lines);
  const message = messageOf(res.body);
  const base = {
    httpStatus: res.status,
    order,
    totalCents: order.total !== undefined ? toCents(order.total) : computed,
    currency: lines[0]?.product.currency ?? 'EUR',
    ...(message !== undefined ? { message } : {}),
  };
  if (res.status === 0) return { ...base, kind: 'error', message: t('error.network', { url: API_URL }) };
  if (res.status === 201 || res.status === 200 || status === 'ok') return { ...base, kind: 'ok' };
  if (res.status === 402 || status === 'error') return { ...base, kind: 'declined' };
  if (res.status === 503 || status === 'error_service') return { ...base, kind: 'unavailable' };
  if (res.status === 401 || res.status === 403) return { ...base, kind: 'auth' };
  return { ...base, kind: 'error' };
}

async function buy(lines: CartLine[]): Promise<void> {
  if (buying || lines.length === 0) return;
  buying = true;
  updateCartView();
  const res = await call('POST', '/api/orders', {
    auth: true,
    body: { items: lines.map((line) => ({ article: line.product.article, quantity: line.quantity })) },
    headers: { 'Idempotency-Key': submissionIdempotencyKey() },
  });
  buying = false;
  // Without an answer the order may or may not exist: keep the key so a resend is deduplicated.
  if (res.status !== 0) endSubmission();
  // A refused refresh has already ended the session and sent the user back to the login page.
  if (res.status === 401 && !isSignedIn()) return;
  const outcome = classify(res, lines);
  if (outcome.kind === 'ok') clearCart();
  setLastOutcome(outcome);
  navigate('/result');
}

function renderCatalogue(products: Product[]): HTMLElement {
  const total = h('output', { class: 'text-lg font-bold tabular-nums', attrs: { id: 'cart-total', 'data-testid': 'cart-total', 'aria-live': 'polite' } });
  const emptyHint = h('p', { class: 'text-sm text-slate-600', attrs: { id: 'cart-empty' } }, t('home.emptyCart'));
  const buyButton = h('button', {
    class: 'btn-primary w-full sm:w-auto',
    attrs: { id: 'buy-button', type: 'button', 'aria-describedby': 'cart-empty' },
    on: { click: () => void buy(cartLines(products)) },
  });
  const clearButton = h('button', {
    class: 'btn-secondary w-full sm:w-auto',
    attrs: { id: 'clear-cart', type: 'button' },
    on: { click: () => { clearCart(); requestRender(); } },
  }, t('home.clear'));
  const lineTotals = new Map<string, HTMLElement>();

  updateCartView = () => {
    const lines = cartLines(products);
    const cents = totalCents(lines);
    total.textContent = formatCents(cents, products[0]?.currency);
    total.dataset['cents'] = String(cents);
    emptyHint.hidden = lines.length > 0;
    buyButton.disabled = lines.length === 0 || buying;
    buyButton.setAttribute('aria-busy', String(buying));
    buyButton.textContent = buying ? t('home.buying') : t('home.buy');
    clearButton.disabled = lines.length === 0 || buying;
    for (const product of products) {
      const cell = lineTotals.get(product.article);
      if (cell) cell.textContent = formatCents(toCents(product.unitPrice) * quantityOf(product.article), product.currency);
    }
  };

  const rows = products.map((product, index) => {
    const inputId = `qty-${index}`;
    const lineTotal = h('td', { class: 'hidden px-3 py-2 text-right tabular-nums sm:table-cell' });
    lineTotals.set(product.article, lineTotal);
    const input = h('input', {
      class: 'field w-20 text-right tabular-nums',
      attrs: {
        id: inputId,
        type: 'number',
        inputmode: 'numeric',
        min: 0,
        max: MAX_QUANTITY,
        step: 1,
        value: quantityOf(product.article),
        'data-article': product.article,
      },
      on: {
        input: (event) => {
          const target = event.target as HTMLInputElement;
          const parsed = Math.trunc(Number(target.value));
          const quantity = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), MAX_QUANTITY) : 0;
          setQuantity(product.article, quantity);
          updateCartView();
        },
        change: (event) => {
          const target = event.target as HTMLInputElement;
          target.value = String(quantityOf(product.article));
        },
      },
    });
    return h(
      'tr',
      { class: 'border-t border-slate-200', attrs: { 'data-testid': 'product-row' } },
      h('th', { class: 'px-2 py-2 text-left font-medium sm:px-3', attrs: { scope: 'row' } }, product.article),
      h('td', { class: 'px-2 py-2 sm:px-3 text-right tabular-nums' }, formatCents(toCents(product.unitPrice), product.currency)),
      h(
        'td',
        { class: 'px-2 py-2 sm:px-3 text-right' },
        h('label', { class: 'sr-only', attrs: { for: inputId } }, t('home.quantityOf', { article: product.article })),
        input,
      ),
      lineTotal,
    );
  });

  updateCartView();
  return h(
    'div',
    { class: 'mt-4 space-y-4' },
    h(
      'div',
      { class: 'overflow-x-auto' },
      h(
        'table',
        { class: 'w-full text-sm', attrs: { 'data-testid': 'catalogue' } },
        h(
          'thead',
          { class: 'text-xs uppercase tracking-wide text-slate-500' },
          h(
            'tr',
            {},
            h('th', { class: 'px-2 py-2 sm:px-3 text-left', attrs: { scope: 'col' } }, t('home.article')),
            h('th', { class: 'px-2 py-2 sm:px-3 text-right', attrs: { scope: 'col' } }, t('home.unitPrice')),
            h('th', { class: 'px-2 py-2 sm:px-3 text-right', attrs: { scope: 'col' } }, t('home.quantity')),
            h('th', { class: 'hidden px-3 py-2 text-right sm:table-cell', attrs: { scope: 'col' } }, t('home.lineTotal')),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
    h(
      'div',
      { class: 'flex flex-col gap-3 border-t border-slate-200 pt-4 sm:flex-row sm:items-center sm:justify-between' },
      h('div', { class: 'flex items-baseline gap-2' }, h('span', { class: 'text-sm text-slate-600' }, t('home.total')), total),
      h('div', { class: 'flex flex-col gap-2 sm:flex-row' }, clearButton, buyButton),
    ),
    emptyHint,
  );
}

export function renderHome(): HTMLElement {
  let content: HTMLElement;
  if (catalogue.kind === 'loading') {
    content = h('p', { class: 'mt-4 text-sm text-slate-600', attrs: { role: 'status' } }, t('home.loading'));
  } else if (catalogue.kind === 'failed') {
    content = h(
      'div',
      { class: 'mt-4 space-y-3' },
      notice('error', catalogue.text),
      h('button', { class: 'btn-secondary', attrs: { id: 'retry-catalogue', type: 'button' }, on: { click: () => void loadCatalogue() } }, t('home.retry')),
    );
  } else {
    content = renderCatalogue(catalogue.products);
  }
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'page-title' } },
    pageHeading(t('home.title')),
    h('p', { class: 'mt-1 text-sm text-slate-600' }, t('home.intro')),
    content,
  );
}
