// The panel's own strings in the page's language (the first page load does not carry them).
import { lang } from './i18n';
import { type PanelMessageKey, panelEn, panelFr } from './panel-messages';

export function pt(key: PanelMessageKey, params: Record<string, string | number> = {}): string {
  const text = (lang() === 'en' ? panelEn : panelFr)[key];
  return text.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}
