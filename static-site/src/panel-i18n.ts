// The panel's own strings in the page's language (the first page load does not carry them).
import { fill, lang } from './i18n';
import { type PanelMessageKey, panelEn, panelFr } from './panel-messages';

export function pt(key: PanelMessageKey, params: Record<string, string | number> = {}): string {
  return fill((lang() === 'en' ? panelEn : panelFr)[key], params);
}
