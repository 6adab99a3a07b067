import { emit } from './events';

export type Route = '/login' | '/' | '/result' | '/history';

const routes: readonly Route[] = ['/login', '/', '/result', '/history'];

export function currentRoute(): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  return routes.find((route) => route === path) ?? '/';
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

export type FlashKind = 'info' | 'error';
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
