import { h } from './dom';

let renderPage: () => void = () => undefined;

export function setPageRenderer(renderer: () => void): void {
  renderPage = renderer;
}

/** Re-renders the current page (after data arrives); focus is restored by element id. */
export function requestRender(): void {
  renderPage();
}

export function pageHeading(text: string): HTMLHeadingElement {
  return h('h1', { class: 'text-2xl font-bold tracking-tight text-slate-900', attrs: { id: 'page-title', tabindex: -1 } }, text);
}

export type NoticeKind = 'info' | 'success' | 'error' | 'warning';

const noticeStyles: Record<NoticeKind, string> = {
  info: 'bg-sky-50 text-sky-900 ring-sky-200',
  success: 'bg-emerald-50 text-emerald-900 ring-emerald-200',
  error: 'bg-rose-50 text-rose-900 ring-rose-200',
  warning: 'bg-amber-50 text-amber-900 ring-amber-200',
};

export function notice(kind: NoticeKind, text: string, testId?: string): HTMLParagraphElement {
  return h(
    'p',
    {
      class: `rounded-md px-3 py-2 text-sm ring-1 ring-inset ${noticeStyles[kind]}`,
      attrs: { role: kind === 'error' ? 'alert' : 'status', 'data-testid': testId },
    },
    text,
  );
}
