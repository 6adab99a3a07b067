import { call, refreshSession, setSessionExpiredHandler } from './api';
import type { RefreshTokenRequest } from './api-bodies';
import { mountBankNotice } from './bank-notice';
import { resetCart } from './cart';
import { h, replaceChildren } from './dom';
import { on } from './events';
import { preservingFocus } from './focus';
import { type Lang, lang, type MessageKey, setLang, t } from './i18n';
import { withClaims } from './jwt';
import { stopFollowing } from './order-flow';
import { enterHistory, renderHistory } from './page-history';
import { enterHome, renderHome } from './page-home';
import { enterLogin, renderLogin } from './page-login';
import { renderNotFound } from './page-not-found';
import { enterResult, renderResult } from './page-result';
import { currentPage, listenToHistory, navigate, type Page, type Route, rememberReturn, setFlash } from './router';
import { clearSession, currentUser, getAccessToken, getRefreshToken, isSignedIn, replaceAccessTokenForTest } from './session';
import { setPageRenderer } from './ui';

declare const __TEST_HOOKS__: boolean;

interface PageView {
  enter?: () => void;
  render: () => HTMLElement;
}

const pages: Record<Page, PageView> = {
  '/login': { enter: enterLogin, render: renderLogin },
  '/': { enter: enterHome, render: renderHome },
  '/result': { enter: enterResult, render: renderResult },
  '/history': { enter: enterHistory, render: renderHistory },
  'not-found': { render: renderNotFound },
};

const header = h('header', { class: 'bg-indigo-700 text-white shadow' });
const main = h('main', { class: 'min-w-0 focus:outline-none', attrs: { id: 'main', tabindex: -1 } });
const panelBody = h('div', { class: 'space-y-4', attrs: { id: 'panel-body' } });
const panelTitle = h('h2', { class: 'text-base font-bold text-white', attrs: { id: 'panel-title' } });
const panel = h(
  'aside',
  {
    class: 'min-w-0 scroll-mt-4 space-y-4 self-start rounded-xl bg-slate-900 p-4 text-slate-100 shadow-lg focus:outline-none',
    attrs: { id: 'panel', tabindex: -1, 'aria-labelledby': 'panel-title', 'data-testid': 'panel' },
  },
  panelTitle,
  panelBody,
);
const bankNotice = h('div', { class: 'bg-amber-100 text-amber-950 ring-1 ring-amber-300', attrs: { id: 'bank-notice' } });
const wide = window.matchMedia('(min-width: 1024px)');
let panelOpen = wide.matches;

// The teaching panel is a chunk of its own, fetched the first time it opens; it polls /api/health only
// while it is open and the page is visible.
type PanelModule = typeof import('./panel');
let panelModule: Promise<PanelModule> | null = null;

function loadPanel(): Promise<PanelModule> {
  panelModule ??= import('./panel').then((module) => {
    module.mountPanel(panelBody);
    return module;
  });
  return panelModule;
}

function syncPanel(): void {
  const active = panelOpen && document.visibilityState === 'visible';
  if (!active && panelModule === null) return;
  void loadPanel().then((module) => module.setPanelActive(panelOpen && document.visibilityState === 'visible'));
}

function togglePanel(): void {
  panelOpen = !panelOpen;
  renderHeader();
  syncPanel();
  // Below the two-column layout the panel opens under the page: bring it into view and move focus to it.
  if (panelOpen && !wide.matches) {
    panel.focus({ preventScroll: true });
    // Once its content is in, so the page is long enough to scroll it to the top.
    void loadPanel().then(() => {
      if (panelOpen) panel.scrollIntoView({ block: 'start' });
    });
  }
}

function renderPage(): void {
  preservingFocus(() => replaceChildren(main, pages[currentPage()].render()));
}

function navLink(route: Route, key: MessageKey): HTMLAnchorElement {
  const current = currentPage() === route;
  return h(
    'a',
    {
      class: `rounded px-3 py-2 text-sm font-medium ${current ? 'bg-indigo-900/60' : 'hover:bg-indigo-600'}`,
      attrs: { href: route, id: route === '/' ? 'nav-home' : `nav-${route.slice(1)}`, 'aria-current': current ? 'page' : undefined },
      on: {
        click: (event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          navigate(route);
        },
      },
    },
    t(key),
  );
}

function langButton(value: Lang, label: string): HTMLButtonElement {
  return h(
    'button',
    {
      class: `px-2 py-1 text-xs font-bold ${lang() === value ? 'bg-white text-indigo-800' : 'text-white hover:bg-indigo-600'}`,
      attrs: { id: `lang-${value}`, type: 'button', 'aria-pressed': String(lang() === value), lang: value },
      on: { click: () => setLang(value) },
    },
    label,
  );
}

async function logout(): Promise<void> {
  const refreshToken = getRefreshToken();
  // Revokes the refresh token server-side; the local session ends even if the API cannot be reached.
  if (refreshToken) {
    const body: RefreshTokenRequest = { refresh_token: refreshToken };
    await call('POST', '/auth/logout', { body });
  }
  stopFollowing();
  resetCart();
  clearSession();
  setFlash('info', t('login.loggedOut'));
  navigate('/login');
}

function renderHeader(): void {
  const signedIn = isSignedIn();
  const user = currentUser();
  document.title = t('app.title');
  panelTitle.textContent = t('panel.title');
  if (panelBody.childElementCount === 0) panelBody.textContent = t('panel.loading');
  panel.hidden = !panelOpen;
  preservingFocus(() =>
    replaceChildren(
      header,
      h(
        'a',
        {
          class: 'sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-indigo-800',
          attrs: { href: '#main' },
        },
        t('app.skip'),
      ),
      h(
        'div',
        { class: 'mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3' },
        h(
          'div',
          { class: 'mr-auto flex items-center gap-3' },
          h(
            'span',
            { class: 'flex size-10 items-center justify-center rounded-lg bg-emerald-500 text-sm font-black text-emerald-950 shadow', attrs: { 'aria-hidden': 'true' } },
            'ML',
          ),
          h(
            'div',
            {},
            h('p', { class: 'text-lg leading-tight font-bold tracking-tight' }, t('app.title')),
            h('p', { class: 'text-xs text-indigo-100' }, t('app.tagline')),
          ),
        ),
        signedIn && h('nav', { class: 'flex gap-1', attrs: { 'aria-label': t('nav.main') } }, navLink('/', 'nav.home'), navLink('/history', 'nav.history')),
        signedIn && user !== undefined && h('p', { class: 'text-sm text-indigo-100', attrs: { 'data-testid': 'current-user' } }, t('nav.user', { user })),
        signedIn && h('button', { class: 'btn-small text-white', attrs: { id: 'logout', type: 'button' }, on: { click: () => void logout() } }, t('nav.logout')),
        h(
          'div',
          { class: 'flex overflow-hidden rounded ring-1 ring-white/60', attrs: { role: 'group', 'aria-label': t('nav.lang') } },
          langButton('fr', 'FR'),
          langButton('en', 'EN'),
        ),
        h(
          'button',
          {
            class: 'btn-small text-white',
            attrs: { id: 'panel-toggle', type: 'button', 'aria-expanded': String(panelOpen), 'aria-controls': 'panel' },
            on: { click: togglePanel },
          },
          `${t('panel.toggle')} ${panelOpen ? '▾' : '▸'}`,
        ),
      ),
    ),
  );
}

function showRoute(): void {
  const route = currentPage();
  if (route !== '/login' && route !== 'not-found' && !isSignedIn()) {
    // A deep link (/history) opens again once signed in.
    rememberReturn(route);
    navigate('/login', { replace: true });
    return;
  }
  if (route === '/login' && isSignedIn()) {
    navigate('/', { replace: true });
    return;
  }
  // A page that follows an order starts again in its own enter(); leaving it stops the checks.
  stopFollowing();
  pages[route].enter?.();
  renderHeader();
  renderPage();
  document.getElementById('page-title')?.focus({ preventScroll: true });
}

/** Whether the last input was a key or a pointer: the page's h1 shows its focus box to keyboard users only. */
function trackInputModality(): void {
  const root = document.documentElement;
  root.dataset['input'] = 'pointer';
  document.addEventListener(
    'keydown',
    (event) => {
      if (!event.metaKey && !event.ctrlKey && !event.altKey) root.dataset['input'] = 'keyboard';
    },
    true,
  );
  document.addEventListener(
    'pointerdown',
    () => {
      root.dataset['input'] = 'pointer';
    },
    true,
  );
}

function installTestHooks(): void {
  // Only in builds made with --test-hooks (the browser tests): lets a test make the in-memory access token
  // invalid, which the API answers with 401 exactly as for an expired one.
  Object.assign(window, {
    __shopTest: {
      corruptAccessToken(): boolean {
        const token = getAccessToken();
        if (!token) return false;
        replaceAccessTokenForTest(token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
        return true;
      },
      /** The same token with `exp` a second ago (so no longer valid for the API either): an expiry without the wait. */
      expireAccessToken(): boolean {
        const token = getAccessToken();
        const aged = token && withClaims(token, { exp: Math.floor(Date.now() / 1000) - 1 });
        if (!aged) return false;
        replaceAccessTokenForTest(aged);
        return true;
      },
    },
  });
}

async function boot(): Promise<void> {
  document.documentElement.lang = lang();
  const root = document.getElementById('app');
  if (!root) return;
  replaceChildren(
    root,
    header,
    bankNotice,
    h('div', { class: 'mx-auto grid max-w-7xl grid-cols-1 gap-6 px-3 py-6 sm:px-4 lg:grid-cols-[minmax(0,1fr)_26rem]' }, main, panel),
  );
  trackInputModality();
  if (__TEST_HOOKS__) installTestHooks();
  setPageRenderer(renderPage);
  setSessionExpiredHandler(() => {
    rememberReturn(currentPage());
    setFlash('error', t('login.sessionExpired'));
    navigate('/login', { replace: true });
  });
  listenToHistory();
  on('route', showRoute);
  on('lang', () => {
    renderHeader();
    renderPage();
  });
  on('session', renderHeader);
  mountBankNotice(bankNotice);
  syncPanel();
  document.addEventListener('visibilitychange', syncPanel);
  wide.addEventListener('change', () => {
    // Growing into the two-column layout shows the panel, as on a first load at that width.
    if (wide.matches && !panelOpen) togglePanel();
  });
  // After a reload only the refresh token is left (the access token lived in memory): renew it silently.
  if (getAccessToken() === null && getRefreshToken() !== null && (await refreshSession()) === 'rejected') {
    clearSession();
    setFlash('error', t('login.sessionExpired'));
  }
  showRoute();
}

void boot();
