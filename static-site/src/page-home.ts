import { call } from './api';
import { type Product, parseProducts } from './api-bodies';
import { type CartLine, cartLines, clearCart, hasKeptSubmission, quantityOf, setQuantity, totalCents, unconfirmedOrder } from './cart';
import { MAX_QUANTITY, RECONNECT_MS } from './config';
import { h, replaceChildren } from './dom';
import { errorText, t } from './i18n';
import { formatCents, toCents } from './money';
import { acknowledgeSettledOrder, followUnconfirmedOrder, getSettledOutcomeKind, submitOrder } from './order-flow';
import { currentPage, navigate, takeFlash } from './router';
import { type NoticeKind, notice, pageHeading, requestRender, spinner } from './ui';

type CatalogueState = { kind: 'loading' } | { kind: 'failed'; status: number } | { kind: 'ready'; products: Product[] };

let catalogue: CatalogueState = { kind: 'loading' };
let buying = false;
let updateCartView: () => void = () => undefined;
let flash: { kind: NoticeKind; text: string } | null = null;
let reconnect: ReturnType<typeof setTimeout> | undefined;
/** Articles whose typed quantity was out of range, with the quantity kept instead (said under the field). */
const clamped = new Map<string, number>();

export function enterHome(): void {
  flash = takeFlash();
  clamped.clear();
  if (catalogue.kind !== 'ready') void loadCatalogue();
  // The lock lifts by itself once the order is final, without visiting its result page.
  followUnconfirmedOrder(requestRender, { onResultPage: false });
}

async function loadCatalogue(options: { quiet?: boolean } = {}): Promise<void> {
  clearTimeout(reconnect);
  // A retry in the background keeps the error in view until the server answers.
  if (!options.quiet) {
    catalogue = { kind: 'loading' };
    requestRender();
  }
  const res = await call('GET', '/api/products');
  const products = res.status === 200 ? parseProducts(res.body) : null;
  const unchanged = options.quiet === true && !products && catalogue.kind === 'failed' && catalogue.status === res.status;
  catalogue = products ? { kind: 'ready', products } : { kind: 'failed', status: res.status };
  // The server could not be reached: try again by itself while the page is shown.
  if (!products && res.status === 0) {
    reconnect = setTimeout(() => {
      if (currentPage() === '/' && catalogue.kind === 'failed') void loadCatalogue({ quiet: true });
    }, RECONNECT_MS);
  }
  // The same failure again is not announced again.
  if (!unchanged) requestRender();
}

async function buy(lines: CartLine[]): Promise<void> {
  if (buying || lines.length === 0 || unconfirmedOrder() !== null) return;
  buying = true;
  updateCartView();
  const outcome = await submitOrder(lines);
  buying = false;
  // A refused refresh has already ended the session and sent the user back to the login page.
  if (outcome === null) return;
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
  // Said while the order is on its way: the cart is locked, and why.
  const payingStatus = h('p', { class: 'flex items-center gap-2 text-sm font-medium text-indigo-800', attrs: { role: 'status', 'data-testid': 'paying' } });
  const clearButton = h(
    'button',
    {
      class: 'btn-secondary w-full sm:w-auto',
      attrs: { id: 'clear-cart', type: 'button' },
      on: {
        click: () => {
          clearCart();
          requestRender();
        },
      },
    },
    t('home.clear'),
  );
  const lineTotals = new Map<string, HTMLElement>();
  const clampNotes = new Map<string, HTMLElement>();
  const inputs: HTMLInputElement[] = [];
  const locked = h(
    'div',
    {
      class: 'flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-300 ring-inset',
      attrs: { 'data-testid': 'cart-locked' },
    },
    h('p', { attrs: { id: 'cart-locked-reason' } }, t('home.locked')),
    h('button', { class: 'btn-small text-amber-900', attrs: { id: 'follow-order', type: 'button' }, on: { click: () => navigate('/result') } }, t('home.follow')),
  );
  const keptHint = h('p', { class: 'text-sm text-slate-600', attrs: { 'data-testid': 'cart-retry-hint' } }, t('home.retrySame'));

  updateCartView = () => {
    const lines = cartLines(products);
    const cents = totalCents(lines);
    // An order whose outcome is unknown may have been charged: no edit may start a second one.
    const isLocked = unconfirmedOrder() !== null;
    total.textContent = formatCents(cents, products[0]?.currency);
    total.dataset['cents'] = String(cents);
    emptyHint.hidden = lines.length > 0 || isLocked;
    locked.hidden = !isLocked;
    keptHint.hidden = isLocked || buying || lines.length === 0 || !hasKeptSubmission();
    buyButton.disabled = lines.length === 0 || buying || isLocked;
    buyButton.setAttribute('aria-busy', String(buying));
    buyButton.setAttribute('aria-describedby', isLocked ? 'cart-locked-reason' : 'cart-empty');
    replaceChildren(buyButton, buying && spinner(), buying ? t('home.buying') : t('home.buy'));
    replaceChildren(payingStatus, buying && spinner(), buying && t('home.buyingStatus'));
    clearButton.disabled = lines.length === 0 || buying || isLocked;
    for (const input of inputs) input.disabled = buying || isLocked;
    for (const product of products) {
      const note = clampNotes.get(product.article);
      const kept = clamped.get(product.article);
      if (note) {
        note.hidden = kept === undefined;
        note.textContent = kept === undefined ? '' : t('home.clamped', { quantity: kept, max: MAX_QUANTITY });
      }
      const cell = lineTotals.get(product.article);
      if (cell) cell.textContent = formatCents(toCents(product.unit_price) * quantityOf(product.article), product.currency);
    }
  };

  const rows = products.map((product, index) => {
    const inputId = `qty-${index}`;
    const note = h('span', { class: 'mt-1 block text-xs font-medium text-amber-800', attrs: { id: `${inputId}-note`, 'data-testid': 'qty-note' } });
    clampNotes.set(product.article, note);
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
        'aria-describedby': `${inputId}-note`,
      },
      on: {
        input: (event) => {
          const target = event.target as HTMLInputElement;
          const typed = Number(target.value);
          const parsed = Math.trunc(typed);
          const quantity = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), MAX_QUANTITY) : 0;
          // An empty field is 0, not an error; anything else kept differently from what was typed is said.
          if (target.value !== '' && typed !== quantity) clamped.set(product.article, quantity);
          else clamped.delete(product.article);
          setQuantity(product.article, quantity);
          updateCartView();
        },
        change: (event) => {
          const target = event.target as HTMLInputElement;
          target.value = String(quantityOf(product.article));
        },
      },
    });
    inputs.push(input);
    return h(
      'tr',
      { class: 'border-t border-slate-200', attrs: { 'data-testid': 'product-row' } },
      h('th', { class: 'px-2 py-2 text-left font-medium sm:px-3', attrs: { scope: 'row' } }, product.article),
      h('td', { class: 'px-2 py-2 sm:px-3 text-right tabular-nums' }, formatCents(toCents(product.unit_price), product.currency)),
      h(
        'td',
        { class: 'px-2 py-2 sm:px-3 text-right' },
        h('label', { class: 'sr-only', attrs: { for: inputId } }, t('home.quantityOf', { article: product.article })),
        input,
        note,
      ),
      lineTotal,
    );
  });

  updateCartView();
  return h(
    'div',
    { class: 'mt-4 space-y-4' },
    settledNotice(),
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
    payingStatus,
    locked,
    emptyHint,
    keptHint,
  );
}

/** An unconfirmed order that became final while the result page was not shown: say how it ended. */
function settledNotice(): HTMLElement | null {
  const kind = getSettledOutcomeKind();
  if (kind === null) return null;
  return h(
    'div',
    { class: 'flex flex-wrap items-center gap-x-3 gap-y-2', attrs: { 'data-testid': 'order-settled' } },
    notice(kind === 'ok' ? 'success' : 'warning', t(kind === 'ok' ? 'home.settledPaid' : 'home.settledNotPaid')),
    h(
      'button',
      {
        class: 'btn-small text-slate-800',
        attrs: { id: 'see-settled', type: 'button' },
        on: {
          click: () => {
            acknowledgeSettledOrder();
            navigate('/result');
          },
        },
      },
      t('home.seeResult'),
    ),
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
      notice('error', catalogue.status === 0 ? errorText(0, undefined, undefined) : t('home.loadFailed'), 'catalogue-error'),
      h('button', { class: 'btn-secondary', attrs: { id: 'retry-catalogue', type: 'button' }, on: { click: () => void loadCatalogue() } }, t('home.retry')),
    );
  } else {
    content = renderCatalogue(catalogue.products);
  }
  return h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'page-title' } },
    pageHeading(t('home.title')),
    flash && h('div', { class: 'mt-3', attrs: { 'data-testid': 'home-flash' } }, notice(flash.kind, flash.text)),
    h('p', { class: 'mt-1 text-sm text-slate-600' }, t('home.intro', { max: MAX_QUANTITY })),
    content,
  );
}
