import { call, callBank, clearRequestLog, refreshNow, requestLog, type LogEntry } from './api';
import { messageOf, parseFaults, parseHealth, type BankFaults, type BreakerState, type FaultsPatch, type Health } from './api-bodies';
import { BANK_URL, HEALTH_POLL_MS, MAX_BANK_LATENCY_MS } from './config';
import { h, replaceChildren } from './dom';
import { on } from './events';
import { locale, t, type MessageKey } from './i18n';
import { expiresAtMs } from './jwt';
import { currentUser, getAccessToken, getDecodedAccessToken, getRefreshToken } from './session';
import { preservingFocus } from './focus';

type HealthView =
  | { kind: 'pending' }
  | { kind: 'failed'; at: Date }
  | ({ kind: 'ready'; at: Date } & Health);

type ChaosView =
  | { kind: 'loading' }
  /**
   * `retry`: the bank was unreachable (try again once health answers); otherwise there are no fault controls
   * (a site built without the bank's URL, or a deployed bank).
   */
  | { kind: 'unavailable'; retry: boolean }
  | { kind: 'ready'; draft: BankFaults; busy: boolean; message?: { ok: boolean; text: string } };

let health: HealthView = { kind: 'pending' };
let chaos: ChaosView = { kind: 'loading' };
let showPolls = false;
// Set while the student edits the chaos form, so live health updates do not overwrite their edits.
let chaosDirty = false;
let pollInFlight = false;

const sections = {
  token: h('div', { attrs: { 'data-testid': 'panel-token' } }),
  breaker: h('div', { attrs: { 'data-testid': 'panel-breaker' } }),
  chaos: h('div', { attrs: { 'data-testid': 'panel-chaos' } }),
  log: h('div', { attrs: { 'data-testid': 'panel-log' } }),
};
const logBody = h('tbody', {});
let countdown: HTMLElement | null = null;

function sectionTitle(key: MessageKey, id: string): HTMLHeadingElement {
  return h('h3', { class: 'mb-2 text-sm font-semibold tracking-wide text-indigo-200 uppercase', attrs: { id } }, t(key));
}

// ---- token inspector ----

function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, '0');
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

function updateCountdown(): void {
  if (!countdown) return;
  const expiresAt = expiresAtMs(getDecodedAccessToken());
  if (expiresAt === undefined) {
    countdown.textContent = '';
    return;
  }
  const remaining = expiresAt - Date.now();
  countdown.textContent = remaining > 0 ? t('panel.expiresIn', { time: formatDuration(remaining) }) : t('panel.expired');
  countdown.className = `text-sm font-semibold tabular-nums ${remaining > 60_000 ? 'text-emerald-300' : 'text-amber-300'}`;
}

function timeOfClaim(value: unknown): string | undefined {
  return typeof value === 'number' ? new Date(value * 1000).toLocaleString(locale()) : undefined;
}

function renderToken(): void {
  const token = getAccessToken();
  const decoded = getDecodedAccessToken();
  countdown = null;
  const refreshLine = h('p', { class: 'text-xs text-slate-300' }, getRefreshToken() ? t('panel.refreshStored') : t('panel.refreshMissing'));
  if (!token) {
    replaceChildren(sections.token, sectionTitle('panel.token', 'panel-token-title'), h('p', { class: 'text-sm text-slate-300' }, t('panel.noToken')), refreshLine);
    return;
  }
  countdown = h('p', { attrs: { 'data-testid': 'token-expiry', 'aria-live': 'off' } });
  updateCountdown();
  const [head = '', payload = '', signature = ''] = token.split('.');
  const issued = timeOfClaim(decoded?.claims['iat']);
  const expires = timeOfClaim(decoded?.claims['exp']);
  replaceChildren(
    sections.token,
    sectionTitle('panel.token', 'panel-token-title'),
    h(
      'div',
      { class: 'space-y-2' },
      h('div', { class: 'flex flex-wrap items-center justify-between gap-2' }, h('p', { class: 'text-sm' }, currentUser() ?? ''), countdown),
      h(
        'p',
        { class: 'max-h-20 overflow-y-auto rounded bg-slate-950 p-2 font-mono text-[11px] leading-snug break-all', attrs: { 'aria-label': 'JWT' } },
        h('span', { class: 'text-rose-300' }, head),
        '.',
        h('span', { class: 'text-violet-300' }, payload),
        '.',
        h('span', { class: 'text-sky-300' }, signature),
      ),
      h('p', { class: 'text-xs font-semibold text-rose-300' }, t('panel.header')),
      h('pre', { class: 'code-block', attrs: { 'data-testid': 'token-header' } }, JSON.stringify(decoded?.header ?? {}, null, 2)),
      h('p', { class: 'text-xs font-semibold text-violet-300' }, t('panel.claims')),
      h('pre', { class: 'code-block', attrs: { 'data-testid': 'token-claims' } }, JSON.stringify(decoded?.claims ?? {}, null, 2)),
      (issued !== undefined || expires !== undefined) &&
        h('p', { class: 'text-xs text-slate-300' }, [issued && `iat ${issued}`, expires && `exp ${expires}`].filter(Boolean).join(' · ')),
      h('p', { class: 'text-xs text-slate-300' }, t('panel.tokenMemory')),
      refreshLine,
      h(
        'button',
        { class: 'btn-small text-slate-100', attrs: { id: 'token-refresh', type: 'button' }, on: { click: () => void refreshNow() } },
        t('panel.refreshNow'),
      ),
    ),
  );
}

// ---- breaker (from /api/health, polled) ----

const breakerTones: Record<BreakerState | 'unknown', string> = {
  closed: 'bg-emerald-500 text-emerald-950',
  open: 'bg-rose-500 text-rose-950',
  'half-open': 'bg-amber-400 text-amber-950',
  unknown: 'bg-slate-500 text-slate-950',
};

function renderBreaker(): void {
  const states: BreakerState[] = ['closed', 'open', 'half-open'];
  let body: HTMLElement;
  if (health.kind === 'ready') {
    const current = health.breaker;
    const bank = health.bank;
    body = h(
      'div',
      { class: 'space-y-2' },
      h(
        'p',
        { class: 'flex items-center gap-2' },
        h(
          'span',
          { class: `rounded-full px-3 py-1 text-sm font-bold uppercase ${breakerTones[current]}`, attrs: { 'data-testid': 'breaker-state', 'data-state': current } },
          t(`panel.breaker.${current}`),
        ),
        current === 'open' &&
          health.breaker_retry_in_ms > 0 &&
          h('span', { class: 'text-xs text-slate-300 tabular-nums' }, t('panel.retryIn', { seconds: Math.ceil(health.breaker_retry_in_ms / 1000) })),
      ),
      h(
        'ol',
        { class: 'flex flex-wrap items-center gap-1 text-xs', attrs: { 'aria-hidden': 'true' } },
        ...states.map((state, index) =>
          h(
            'li',
            { class: 'flex items-center gap-1' },
            index > 0 && h('span', { class: 'text-slate-500' }, '→'),
            h('span', { class: `rounded px-2 py-0.5 ${state === current ? breakerTones[state] : 'bg-slate-700 text-slate-300'}` }, t(`panel.breaker.${state}`)),
          ),
        ),
      ),
      h('p', { class: 'text-xs text-slate-300' }, t('panel.breakerHelp')),
      bank &&
        h(
          'p',
          { class: 'text-xs text-slate-200', attrs: { 'data-testid': 'bank-state' } },
          t('panel.bankNow', {
            rate: Math.round(bank.success_rate * 100),
            latency: bank.latency_ms,
            down: bank.down ? t('panel.bankDown') : t('panel.bankUp'),
          }),
        ),
      h('p', { class: 'text-[11px] text-slate-400' }, t('panel.updated', { time: health.at.toLocaleTimeString(locale()) })),
    );
  } else if (health.kind === 'failed') {
    body = h('p', { class: 'text-sm text-rose-300', attrs: { 'data-testid': 'breaker-state', 'data-state': 'unreachable' } }, t('panel.healthFailed'));
  } else {
    body = h('p', { class: 'text-sm text-slate-300' }, '…');
  }
  replaceChildren(sections.breaker, sectionTitle('panel.breaker', 'panel-breaker-title'), body);
}

async function pollHealth(): Promise<void> {
  if (pollInFlight) return;
  pollInFlight = true;
  try {
    const res = await call('GET', '/api/health', { poll: true });
    const parsed = res.status === 200 ? parseHealth(res.body) : null;
    health = parsed ? { kind: 'ready', ...parsed, at: new Date() } : { kind: 'failed', at: new Date() };
    renderBreaker();
    if (parsed && chaos.kind === 'unavailable' && chaos.retry) {
      chaos = { kind: 'loading' };
      void loadFaults();
    }
    // Faults changed elsewhere (another tab, a script): show the bank's real settings in the form.
    const bank = parsed?.bank;
    if (bank && chaos.kind === 'ready' && !chaos.busy && !chaosDirty && !sameFaults(bank, chaos.draft)) {
      chaos = { kind: 'ready', draft: bank, busy: false };
      preservingFocus(renderChaos);
    }
  } finally {
    pollInFlight = false;
  }
}

// ---- chaos controls (the bank's own service: GET/PUT {BANK_URL}/faults) ----

function sameFaults(a: BankFaults, b: BankFaults): boolean {
  return a.success_rate === b.success_rate && a.latency_ms === b.latency_ms && a.down === b.down && a.error_rate === b.error_rate;
}

async function loadFaults(): Promise<void> {
  if (BANK_URL === null) {
    chaos = { kind: 'unavailable', retry: false };
    preservingFocus(renderChaos);
    return;
  }
  const res = await callBank('GET', '/faults');
  const faults = res.status === 200 ? parseFaults(res.body) : null;
  chaos = faults ? { kind: 'ready', draft: faults, busy: false } : { kind: 'unavailable', retry: res.status === 0 };
  preservingFocus(renderChaos);
}

async function applyFaults(draft: BankFaults): Promise<void> {
  chaos = { kind: 'ready', draft, busy: true };
  preservingFocus(renderChaos);
  const patch: FaultsPatch = draft;
  const res = await callBank('PUT', '/faults', { body: patch });
  const saved = res.status === 200 ? parseFaults(res.body) : null;
  if (saved) chaosDirty = false;
  chaos = saved
    ? { kind: 'ready', draft: saved, busy: false, message: { ok: true, text: t('panel.applied') } }
    : { kind: 'ready', draft, busy: false, message: { ok: false, text: messageOf(res.body) ?? t('error.generic', { status: res.status }) } };
  preservingFocus(renderChaos);
  void pollHealth();
}

function renderChaos(): void {
  const title = sectionTitle('panel.chaos', 'panel-chaos-title');
  if (chaos.kind !== 'ready') {
    replaceChildren(sections.chaos, title, h('p', { class: 'text-sm text-slate-300' }, chaos.kind === 'loading' ? '…' : t('panel.chaosUnavailable')));
    return;
  }
  const { draft, busy, message } = chaos;
  const rateOutput = h('output', { class: 'w-12 text-right text-sm tabular-nums', attrs: { for: 'chaos-success', id: 'chaos-success-value' } }, `${Math.round(draft.success_rate * 100)} %`);
  const rate = h('input', {
    class: 'w-full accent-indigo-400',
    attrs: { id: 'chaos-success', type: 'range', min: 0, max: 100, step: 5, value: Math.round(draft.success_rate * 100), 'aria-describedby': 'chaos-success-value' },
    on: { input: () => { rateOutput.textContent = `${rate.value} %`; } },
  });
  const latency = h('input', {
    class: 'field py-1 text-sm',
    attrs: { id: 'chaos-latency', type: 'number', min: 0, max: MAX_BANK_LATENCY_MS, step: 50, value: draft.latency_ms, inputmode: 'numeric' },
  });
  const lostOutput = h('output', { class: 'w-12 text-right text-sm tabular-nums', attrs: { for: 'chaos-lost', id: 'chaos-lost-value' } }, `${Math.round(draft.error_rate * 100)} %`);
  const lost = h('input', {
    class: 'w-full accent-indigo-400',
    attrs: { id: 'chaos-lost', type: 'range', min: 0, max: 100, step: 5, value: Math.round(draft.error_rate * 100), 'aria-describedby': 'chaos-lost-value' },
    on: { input: () => { lostOutput.textContent = `${lost.value} %`; } },
  });
  const down = h('input', { class: 'size-4 accent-rose-500', attrs: { id: 'chaos-down', type: 'checkbox', checked: draft.down } });
  const form = h(
    'form',
    {
      class: 'space-y-3',
      attrs: { 'aria-labelledby': 'panel-chaos-title' },
      on: {
        input: () => {
          chaosDirty = true;
        },
        submit: (event) => {
          event.preventDefault();
          if (busy) return;
          const latencyMs = Math.min(Math.max(Math.round(Number(latency.value) || 0), 0), MAX_BANK_LATENCY_MS);
          void applyFaults({ success_rate: Number(rate.value) / 100, latency_ms: latencyMs, down: down.checked, error_rate: Number(lost.value) / 100 });
        },
      },
    },
    h(
      'div',
      {},
      h('label', { class: 'block text-xs font-medium text-slate-200', attrs: { for: 'chaos-success' } }, t('panel.successRate')),
      h('div', { class: 'flex items-center gap-2' }, rate, rateOutput),
    ),
    h('div', {}, h('label', { class: 'block text-xs font-medium text-slate-200', attrs: { for: 'chaos-latency' } }, t('panel.latency')), latency),
    h(
      'div',
      {},
      h('label', { class: 'block text-xs font-medium text-slate-200', attrs: { for: 'chaos-lost' } }, t('panel.lostAnswers')),
      h('div', { class: 'flex items-center gap-2' }, lost, lostOutput),
    ),
    h('div', { class: 'flex items-center gap-2' }, down, h('label', { class: 'text-sm text-slate-100', attrs: { for: 'chaos-down' } }, t('panel.down'))),
    h(
      'div',
      { class: 'flex items-center gap-3' },
      h('button', { class: 'btn-primary py-1.5', attrs: { id: 'chaos-apply', type: 'submit', disabled: busy } }, t('panel.apply')),
      message && h('p', { class: `text-xs ${message.ok ? 'text-emerald-300' : 'text-rose-300'}`, attrs: { role: 'status', 'data-testid': 'chaos-message' } }, message.text),
    ),
  );
  replaceChildren(sections.chaos, title, form);
}

// ---- request log ----

function statusTone(status: number): string {
  if (status === 0 || status >= 500) return 'text-rose-300';
  if (status >= 400) return 'text-amber-300';
  return 'text-emerald-300';
}

function logRow(entry: LogEntry): HTMLTableRowElement {
  return h(
    'tr',
    {
      class: 'border-t border-slate-700',
      attrs: { 'data-testid': 'log-row', 'data-method': entry.method, 'data-path': entry.path, 'data-status': entry.status },
    },
    h('td', { class: 'py-1 pr-2 text-slate-400 tabular-nums' }, entry.at.toLocaleTimeString(locale())),
    h('td', { class: 'py-1 pr-2 break-all' }, h('span', { class: 'font-semibold text-slate-200' }, entry.method), ' ', entry.path),
    h('td', { class: `py-1 pr-2 text-right font-semibold tabular-nums ${statusTone(entry.status)}` }, entry.status === 0 ? 'ERR' : String(entry.status)),
    h('td', { class: 'py-1 text-right text-slate-300 tabular-nums whitespace-nowrap' }, `${entry.durationMs} ms`),
  );
}

function renderLogRows(): void {
  const entries = requestLog().filter((entry) => showPolls || !entry.poll);
  if (entries.length === 0) {
    replaceChildren(logBody, h('tr', {}, h('td', { class: 'py-2 text-slate-400', attrs: { colspan: 4 } }, t('panel.logEmpty'))));
    return;
  }
  replaceChildren(logBody, ...entries.map(logRow));
}

function renderLog(): void {
  const polls = h('input', {
    class: 'size-4 accent-indigo-400',
    attrs: { id: 'log-polls', type: 'checkbox', checked: showPolls },
    on: { change: () => { showPolls = polls.checked; renderLogRows(); } },
  });
  replaceChildren(
    sections.log,
    h(
      'div',
      { class: 'flex flex-wrap items-center justify-between gap-2' },
      sectionTitle('panel.log', 'panel-log-title'),
      h('button', { class: 'btn-small mb-2 text-slate-100', attrs: { id: 'log-clear', type: 'button' }, on: { click: clearRequestLog } }, t('panel.logClear')),
    ),
    h('div', { class: 'mb-2 flex items-center gap-2' }, polls, h('label', { class: 'text-xs text-slate-200', attrs: { for: 'log-polls' } }, t('panel.logPolls'))),
    h(
      'div',
      { class: 'max-h-60 overflow-y-auto' },
      h('table', { class: 'w-full font-mono text-[11px]' }, h('caption', { class: 'sr-only' }, t('panel.logCaption')), logBody),
    ),
  );
  renderLogRows();
}

// ---- panel shell ----

function renderAll(): void {
  preservingFocus(() => {
    renderToken();
    renderBreaker();
    renderChaos();
    renderLog();
  });
}

export function mountPanel(container: HTMLElement): void {
  const card = (section: HTMLElement, labelledBy: string) =>
    h('section', { class: 'panel-card', attrs: { 'aria-labelledby': labelledBy } }, section);
  replaceChildren(
    container,
    card(sections.breaker, 'panel-breaker-title'),
    card(sections.chaos, 'panel-chaos-title'),
    card(sections.log, 'panel-log-title'),
    card(sections.token, 'panel-token-title'),
  );
  renderAll();
  on('lang', renderAll);
  on('session', () => preservingFocus(renderToken));
  on('log', renderLogRows);
  void loadFaults();
  void pollHealth();
  setInterval(() => void pollHealth(), HEALTH_POLL_MS);
  setInterval(updateCountdown, 1000);
}
