// The teaching panel: a chunk of its own (main.ts imports it when the panel first opens).
import { type ApiResponse, call, clearRequestLog, type LogEntry, refreshNow, requestLog } from './api';
import { type BreakerState, codeOf, type FaultSettings, type FaultsPatch, type Health, messageOf, parseHealth, validationDetailsOf } from './api-bodies';
import { bankFaults, readBankFaults, resetBankFaults, saveBankFaults } from './bank-faults';
import { BANK_URL, HEALTH_POLL_MS, MAX_BANK_LATENCY_MS } from './config';
import { h, replaceChildren } from './dom';
import { on } from './events';
import { preservingFocus } from './focus';
import { errorText, locale, type MessageKey, t } from './i18n';
import { expiresAtMs } from './jwt';
import { lessonsSection, mountLessons, observeBreaker } from './lessons';
import { pt } from './panel-i18n';
import { renderTrace, showTrace, traceSection } from './panel-trace';
import { noteBreakerState, refreshTraffic, renderTraffic, renderTrafficControls, trafficSection } from './panel-traffic';
import { currentUser, getAccessToken, getDecodedAccessToken, getRefreshToken } from './session';

type HealthView = { kind: 'pending' } | { kind: 'failed'; at: Date } | ({ kind: 'ready'; at: Date } & Health);

let health: HealthView = { kind: 'pending' };
let chaosBusy = false;
let chaosMessage: { ok: boolean; text: string } | null = null;
let chaosErrors: Partial<Record<keyof FaultsPatch, string>> = {};
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
        { class: 'max-h-20 overflow-y-auto rounded bg-slate-950 p-2 font-mono text-[11px] leading-snug break-all', attrs: { 'aria-label': 'JWT', tabindex: 0 } },
        h('span', { class: 'text-rose-300' }, head),
        '.',
        h('span', { class: 'text-violet-300' }, payload),
        '.',
        h('span', { class: 'text-sky-300' }, signature),
      ),
      h('p', { class: 'text-xs font-semibold text-rose-300' }, t('panel.header')),
      h('pre', { class: 'code-block', attrs: { 'data-testid': 'token-header', tabindex: 0 } }, JSON.stringify(decoded?.header ?? {}, null, 2)),
      h('p', { class: 'text-xs font-semibold text-violet-300' }, t('panel.claims')),
      h('pre', { class: 'code-block', attrs: { 'data-testid': 'token-claims', tabindex: 0 } }, JSON.stringify(decoded?.claims ?? {}, null, 2)),
      (issued !== undefined || expires !== undefined) &&
        h('p', { class: 'text-xs text-slate-300' }, [issued && `iat ${issued}`, expires && `exp ${expires}`].filter(Boolean).join(' · ')),
      h('p', { class: 'text-xs text-slate-300' }, t('panel.tokenMemory')),
      refreshLine,
      h('button', { class: 'btn-small text-slate-100', attrs: { id: 'token-refresh', type: 'button' }, on: { click: () => void refreshNow() } }, t('panel.refreshNow')),
    ),
  );
}

// ---- breaker (from /api/health, polled) ----

const breakerTones: Record<BreakerState | 'unknown', string> = {
  closed: 'bg-emerald-500 text-emerald-950',
  open: 'bg-rose-300 text-rose-950',
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
            lost: Math.round(bank.error_rate * 100),
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
    if (parsed) {
      observeBreaker(parsed.breaker);
      noteBreakerState(parsed.breaker);
    }
    renderBreaker();
    void refreshTraffic();
    // Faults changed elsewhere (another tab, a script, a bank that was unreachable): read them again.
    const bank = parsed?.bank;
    const shown = bankFaults();
    if (parsed && !chaosBusy && !chaosDirty && (shown.kind !== 'ready' ? BANK_URL !== null : bank !== null && bank !== undefined && !sameFaults(bank, shown.faults))) {
      void readBankFaults({ poll: true });
    }
  } finally {
    pollInFlight = false;
  }
}

// ---- chaos controls (the bank's own service: GET/PUT/DELETE {BANK_URL}/faults) ----

function sameFaults(a: FaultSettings, b: FaultSettings): boolean {
  return a.success_rate === b.success_rate && a.latency_ms === b.latency_ms && a.down === b.down && a.error_rate === b.error_rate;
}

/** A refusal of the bank, per field where it names one (`details[].path`), in the page's language. */
function chaosFailure(res: ApiResponse): { text: string; fields: Partial<Record<keyof FaultsPatch, string>> } {
  const code = codeOf(res.body);
  const fields: Partial<Record<keyof FaultsPatch, string>> = {};
  if (code === 'VALIDATION_FAILED') {
    for (const { path } of validationDetailsOf(res.body)) {
      if (path === 'latency_ms') fields.latency_ms = t('panel.latencyInvalid', { max: MAX_BANK_LATENCY_MS });
      else if (path === 'success_rate' || path === 'error_rate') fields[path] = t('panel.rateInvalid');
    }
  }
  return { text: errorText(res.status, code, messageOf(res.body)), fields };
}

async function changeFaults(send: () => Promise<ApiResponse>): Promise<void> {
  chaosBusy = true;
  chaosMessage = null;
  preservingFocus(renderChaos);
  const res = await send();
  chaosBusy = false;
  if (res.status === 200) {
    chaosDirty = false;
    chaosErrors = {};
    chaosMessage = { ok: true, text: t('panel.applied') };
  } else {
    const failure = chaosFailure(res);
    chaosErrors = failure.fields;
    chaosMessage = { ok: false, text: failure.text };
  }
  preservingFocus(renderChaos);
  void pollHealth();
}

function renderChaos(): void {
  const title = sectionTitle('panel.chaos', 'panel-chaos-title');
  const view = bankFaults();
  if (view.kind !== 'ready') {
    replaceChildren(sections.chaos, title, h('p', { class: 'text-sm text-slate-300' }, t('panel.chaosUnavailable')));
    return;
  }
  const draft = view.faults;
  const busy = chaosBusy;
  const message = chaosMessage;
  const rateOutput = h(
    'output',
    { class: 'w-12 text-right text-sm tabular-nums', attrs: { for: 'chaos-success', id: 'chaos-success-value' } },
    `${Math.round(draft.success_rate * 100)} %`,
  );
  const rate = h('input', {
    class: 'w-full accent-indigo-400',
    attrs: {
      id: 'chaos-success',
      disabled: busy,
      type: 'range',
      min: 0,
      max: 100,
      step: 5,
      value: Math.round(draft.success_rate * 100),
      'aria-describedby': 'chaos-success-value',
    },
    on: {
      input: () => {
        rateOutput.textContent = `${rate.value} %`;
      },
    },
  });
  const latencyError = chaosErrors.latency_ms;
  const latency = h('input', {
    class: 'field py-1 text-sm aria-invalid:ring-2 aria-invalid:ring-rose-400',
    attrs: {
      id: 'chaos-latency',
      // While the bank answers a change, the form is drawn again from its answer: no edit may be lost in between.
      disabled: busy,
      type: 'number',
      min: 0,
      max: MAX_BANK_LATENCY_MS,
      step: 50,
      value: draft.latency_ms,
      inputmode: 'numeric',
      'aria-invalid': latencyError !== undefined ? 'true' : undefined,
      'aria-describedby': latencyError !== undefined ? 'chaos-latency-error chaos-latency-rule' : 'chaos-latency-rule',
    },
  });
  const lostOutput = h(
    'output',
    { class: 'w-12 text-right text-sm tabular-nums', attrs: { for: 'chaos-lost', id: 'chaos-lost-value' } },
    `${Math.round(draft.error_rate * 100)} %`,
  );
  const lost = h('input', {
    class: 'w-full accent-indigo-400',
    attrs: {
      id: 'chaos-lost',
      disabled: busy,
      type: 'range',
      min: 0,
      max: 100,
      step: 5,
      value: Math.round(draft.error_rate * 100),
      'aria-describedby': 'chaos-lost-value',
    },
    on: {
      input: () => {
        lostOutput.textContent = `${lost.value} %`;
      },
    },
  });
  const down = h('input', { class: 'size-4 accent-rose-500', attrs: { id: 'chaos-down', type: 'checkbox', checked: draft.down, disabled: busy } });
  const form = h(
    'form',
    {
      class: 'space-y-3',
      attrs: { 'aria-labelledby': 'panel-chaos-title', novalidate: true },
      on: {
        input: () => {
          chaosDirty = true;
        },
        submit: (event) => {
          event.preventDefault();
          if (busy) return;
          const latencyMs = Number(latency.value);
          // The bank's own limit, said at the field rather than silently clamped.
          if (latency.value === '' || !Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_BANK_LATENCY_MS) {
            chaosErrors = { latency_ms: t('panel.latencyInvalid', { max: MAX_BANK_LATENCY_MS }) };
            chaosMessage = null;
            preservingFocus(renderChaos);
            document.getElementById('chaos-latency')?.focus();
            return;
          }
          const patch: FaultsPatch = { success_rate: Number(rate.value) / 100, latency_ms: latencyMs, down: down.checked, error_rate: Number(lost.value) / 100 };
          void changeFaults(() => saveBankFaults(patch));
        },
      },
    },
    h(
      'div',
      {},
      h('label', { class: 'block text-xs font-medium text-slate-200', attrs: { for: 'chaos-success' } }, t('panel.successRate')),
      h('div', { class: 'flex items-center gap-2' }, rate, rateOutput),
    ),
    h(
      'div',
      {},
      h('label', { class: 'block text-xs font-medium text-slate-200', attrs: { for: 'chaos-latency' } }, t('panel.latency')),
      h('p', { class: 'text-[11px] text-slate-300', attrs: { id: 'chaos-latency-rule' } }, t('panel.latencyRule', { max: MAX_BANK_LATENCY_MS })),
      latency,
      latencyError !== undefined &&
        h('p', { class: 'mt-1 text-xs font-medium text-rose-300', attrs: { id: 'chaos-latency-error', 'data-testid': 'chaos-latency-error' } }, latencyError),
    ),
    h(
      'div',
      {},
      h('label', { class: 'block text-xs font-medium text-slate-200', attrs: { for: 'chaos-lost' } }, t('panel.lostAnswers')),
      h('div', { class: 'flex items-center gap-2' }, lost, lostOutput),
    ),
    h('div', { class: 'flex items-center gap-2' }, down, h('label', { class: 'text-sm text-slate-100', attrs: { for: 'chaos-down' } }, t('panel.down'))),
    h(
      'div',
      { class: 'flex flex-wrap items-center gap-3' },
      h('button', { class: 'btn-primary py-1.5', attrs: { id: 'chaos-apply', type: 'submit', disabled: busy } }, t('panel.apply')),
      h(
        'button',
        { class: 'btn-small text-slate-100', attrs: { id: 'chaos-defaults', type: 'button', disabled: busy }, on: { click: () => void changeFaults(resetBankFaults) } },
        t('panel.defaults'),
      ),
      message &&
        h('p', { class: `text-xs ${message.ok ? 'text-emerald-300' : 'text-rose-300'}`, attrs: { role: 'status', 'data-testid': 'chaos-message' } }, message.text),
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
    h('td', { class: 'py-1 pr-2 text-right text-slate-300 tabular-nums whitespace-nowrap' }, `${entry.durationMs} ms`),
    h(
      'td',
      { class: 'py-1 text-right' },
      h(
        'button',
        {
          class: 'rounded px-1 text-indigo-200 underline hover:text-white',
          attrs: { type: 'button', 'data-testid': 'log-trace', 'aria-label': pt('trace.openLabel', { method: entry.method, path: entry.path }) },
          on: { click: () => void showTrace(entry) },
        },
        pt('trace.open'),
      ),
    ),
  );
}

function renderLogRows(): void {
  const entries = requestLog().filter((entry) => showPolls || !entry.poll);
  if (entries.length === 0) {
    replaceChildren(logBody, h('tr', {}, h('td', { class: 'py-2 text-slate-400', attrs: { colspan: 5 } }, t('panel.logEmpty'))));
    return;
  }
  replaceChildren(logBody, ...entries.map(logRow));
}

function renderLog(): void {
  const polls = h('input', {
    class: 'size-4 accent-indigo-400',
    attrs: { id: 'log-polls', type: 'checkbox', checked: showPolls },
    on: {
      change: () => {
        showPolls = polls.checked;
        renderLogRows();
      },
    },
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
      // Focusable, so a keyboard user can scroll it.
      { class: 'max-h-60 overflow-y-auto', attrs: { tabindex: 0, 'aria-labelledby': 'panel-log-title' } },
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
    renderTraffic();
    renderTrace();
  });
}

export function mountPanel(container: HTMLElement): void {
  const card = (section: HTMLElement, labelledBy: string) => h('section', { class: 'panel-card', attrs: { 'aria-labelledby': labelledBy } }, section);
  replaceChildren(
    container,
    card(lessonsSection, 'panel-lessons-title'),
    // The traffic chart sits beside the breaker's state, outside what each health poll redraws (so focus stays put).
    card(h('div', {}, sections.breaker, trafficSection), 'panel-breaker-title'),
    card(sections.chaos, 'panel-chaos-title'),
    card(sections.log, 'panel-log-title'),
    card(traceSection, 'panel-trace-title'),
    card(sections.token, 'panel-token-title'),
  );
  renderAll();
  mountLessons();
  on('lang', renderAll);
  on('session', () =>
    preservingFocus(() => {
      renderToken();
      renderTrafficControls();
    }),
  );
  on('log', renderLogRows);
  on('faults', () => {
    if (!chaosDirty) preservingFocus(renderChaos);
  });
  setInterval(updateCountdown, 1000);
}

let poll: ReturnType<typeof setInterval> | undefined;

/** Polls /api/health while the panel is open and the page visible (main.ts says when), never otherwise. */
export function setPanelActive(active: boolean): void {
  if (active === (poll !== undefined)) return;
  if (!active) {
    clearInterval(poll);
    poll = undefined;
    return;
  }
  void pollHealth();
  poll = setInterval(() => void pollHealth(), HEALTH_POLL_MS);
}
