import { emit } from './events';

/** The pages with an address; any other path shows the « page introuvable » page. */
export type Route = '/login' | '/' | '/result' | '/history';
export type Page = Route | 'not-found';

const routes: readonly Route[] = ['/login', '/', '/result', '/history'];

export function currentPage(): Page {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  return routes.find((route) => route === path) ?? 'not-found';
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const url = route + location.search;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  emit('route');
}

export function listenToHistory(): void {
  window.addEventListener('popstate', () => emit('route'));
}

// The page asked for before the login page took over (a deep link, an expired session), to return to it.
let returnTo: Route | null = null;

export function rememberReturn(route: Page): void {
  returnTo = route === 'not-found' || route === '/login' || route === '/' ? null : route;
}

export function takeReturn(): Route {
  const route = returnTo ?? '/';
  returnTo = null;
  return route;
}

export type FlashKind = 'info' | 'success' | 'error';
let flash: { kind: FlashKind; text: string } | null = null;

/** A one-shot message for the next page shown (e.g. "session expired" on the login page). */
export function setFlash(kind: FlashKind, text: string): void {
  flash = { kind, text };
}

export function takeFlash(): { kind: FlashKind; text: string } | null {
  const value = flash;
  flash = null;
  return value;
}
