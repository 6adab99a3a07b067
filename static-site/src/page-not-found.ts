import { h } from './dom';
import { t } from './i18n';
import { navigate } from './router';
import { pageHeading } from './ui';

/** Any path the site has no page for. */
export function renderNotFound(): HTMLElement {
  return h(
    'section',
    { class: 'card space-y-4', attrs: { 'aria-labelledby': 'page-title', 'data-testid': 'not-found' } },
    pageHeading(t('notFound.title')),
    h('p', { class: 'text-sm text-slate-600' }, t('notFound.text')),
    h(
      'a',
      {
        class: 'btn-primary',
        attrs: { id: 'not-found-home', href: '/' },
        on: {
          click: (event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            navigate('/');
          },
        },
      },
      t('notFound.home'),
    ),
  );
}
