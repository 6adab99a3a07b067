import { h } from './dom';

let renderPage: () => void = () => undefined;

export function setPageRenderer(renderer: () => void): void {
  renderPage = renderer;
}

/** Re-renders the current page (after data arrives); focus is restored by element id. */
export function requestRender(): void {
  renderPage();
}

/** Each page's h1: it takes focus when the page changes (for screen readers), drawing no box for a mouse user. */
export function pageHeading(text: string): HTMLHeadingElement {
  return h('h1', { class: 'page-title text-2xl font-bold tracking-tight text-slate-900', attrs: { id: 'page-title', tabindex: -1 } }, text);
}

/** A turning wheel for a button or a status line; the text next to it says what is going on. */
export function spinner(): HTMLSpanElement {
  return h('span', {
    class: 'inline-block size-4 shrink-0 animate-spin rounded-full border-2 border-current border-t-transparent motion-reduce:animate-none',
    attrs: { 'aria-hidden': 'true', 'data-testid': 'spinner' },
  });
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
