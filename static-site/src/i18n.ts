import { emit } from './events';
import { en, fr, type MessageKey } from './messages';

export type { MessageKey } from './messages';
export type Lang = 'fr' | 'en';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { fr, en };
const LANG_KEY = 'shop.lang';

function initialLang(): Lang {
  // The language preference is not sensitive, so it may outlive the tab.
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' ? 'en' : 'fr';
}

let current: Lang = initialLang();

export function lang(): Lang {
  return current;
}

export function locale(): string {
  return current === 'fr' ? 'fr-FR' : 'en-GB';
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
  emit('lang');
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(dictionaries[current][key], params);
}

/** `{name}` placeholders replaced by `params` (a missing one is left as it is). */
export function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}

/**
 * An error answer in the page's language, from its fixed `code`; the server's own (French) message is the
 * fallback for a code this site does not know, then a generic line with the status.
 */
export function errorText(status: number, code: string | undefined, serverMessage: string | undefined): string {
  if (status === 0) return t('error.unreachable');
  const key = `code.${code ?? ''}`;
  if (code !== undefined && isMessageKey(key)) return t(key);
  return serverMessage ?? t('error.generic', { status });
}
