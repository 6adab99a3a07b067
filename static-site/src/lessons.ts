// Four guided lessons (JWT, the gateway's authorizer, the circuit breaker, idempotency). Each is a few
// steps the app checks as the student does them: the checks read what the site itself saw (its request
// log, its session, the bank's fault settings, the breaker's state in /api/health, the traces it opened),
// in order — a step counts only once the one before it is done. Progress is kept for the tab.
import { type LogEntry, probe, refreshNow, requestLog } from './api';
import type { BreakerState } from './api-bodies';
import { bankFaults } from './bank-faults';
import { h, replaceChildren } from './dom';
import { emit, on } from './events';
import { preservingFocus } from './focus';
import { expiresAtMs, withClaims } from './jwt';
import { pt } from './panel-i18n';
import type { PanelMessageKey } from './panel-messages';
import { getAccessToken, getDecodedAccessToken } from './session';

type Child = Node | string | false | null | undefined;

interface Step {
  text: PanelMessageKey;
  /**
   * Done when this holds. `since` is when the previous step was done (epoch ms), `done` when each earlier
   * step was: what the site observes late (the breaker's state, polled each second) may look further back.
   */
  check: (since: number, done: readonly number[]) => boolean;
  /** Buttons or live values the step shows while it is the one to do. */
  extra?: () => Child;
  /** What the step shows once done (e.g. the value it revealed). */
  after?: () => Child;
}

interface Lesson {
  id: 'jwt' | 'authorizer' | 'breaker' | 'idempotency';
  title: PanelMessageKey;
  intro: PanelMessageKey;
  /** The files that implement the pattern. */
  code: string[];
  steps: Step[];
}

// ---- what the site saw ----

const facts: { name: string; at: number }[] = [];
const MAX_FACTS = 500;

/** Records that something a lesson may check just happened (e.g. a trace showing a refused request). */
export function observe(name: string): void {
  if (name === 'decoded') lifetimeWhenDecoded = tokenLifetime();
  facts.push({ name, at: Date.now() });
  if (facts.length > MAX_FACTS) facts.shift();
  // A button's own fact (« Décoder ») shows its result even when no step changes.
  evaluate(true);
}

const seen = (name: string, since: number): boolean => facts.some((fact) => fact.name === name && fact.at >= since);

let lastEntryId = 0;

function factsOf(entry: LogEntry): string[] {
  if (entry.probe === 'no-token' && entry.status === 401) return ['no-token-refused'];
  if (entry.probe === 'forged-token' && (entry.status === 401 || entry.status === 403)) return ['forged-token-refused'];
  if (entry.method === 'POST' && entry.path === '/auth/refresh' && entry.status === 200) return ['refreshed'];
  if (entry.method === 'POST' && entry.path === '/api/orders') {
    if (entry.status === 201) return ['order-paid'];
    if (entry.status === 402) return ['order-declined'];
    if (entry.code) return [`order-${entry.code}`];
  }
  if (entry.orderStatus === 'PAID' || entry.orderStatus === 'DECLINED') return ['order-settled'];
  return [];
}

function readLog(): void {
  const fresh = requestLog().filter((entry) => entry.id > lastEntryId);
  for (const entry of fresh.reverse()) {
    lastEntryId = entry.id;
    for (const name of factsOf(entry)) facts.push({ name, at: entry.startedAt + entry.durationMs });
  }
  if (fresh.length > 0) evaluate();
}

let lastBreaker: BreakerState | undefined;

/** The breaker's state from each /api/health answer the panel reads. */
export function observeBreaker(state: BreakerState): void {
  if (state === lastBreaker) return;
  lastBreaker = state;
  observe(`breaker-${state}`);
}

const faults = () => {
  const view = bankFaults();
  return view.kind === 'ready' ? view.faults : undefined;
};
const bankFailing = (): boolean => {
  const now = faults();
  return now !== undefined && (now.down || now.success_rate === 0 || now.error_rate === 1);
};
const bankHealthy = (): boolean => {
  const now = faults();
  return now !== undefined && !now.down && now.error_rate === 0 && now.success_rate > 0 && now.latency_ms < 1000;
};
/** exp − iat of the token the student decoded (kept: a later token may differ). */
let lifetimeWhenDecoded: number | undefined;
const tokenLifetime = (): number | undefined => {
  const claims = getDecodedAccessToken()?.claims;
  const exp = claims?.['exp'];
  const iat = claims?.['iat'];
  return typeof exp === 'number' && typeof iat === 'number' ? exp - iat : undefined;
};

// ---- the lessons ----

const button = (label: string, onClick: () => void, id: string): HTMLButtonElement =>
  h('button', { class: 'btn-small mt-1 text-slate-100', attrs: { type: 'button', id, 'data-testid': id }, on: { click: onClick } }, label);

/** The current token with its payload changed (sub → "admin") and its signature kept: any verifier must refuse it. */
function forgedToken(): string | undefined {
  const token = getAccessToken();
  return (token && withClaims(token, { sub: 'admin', username: 'admin' })) ?? undefined;
}

/** How many orders failed on the bank since the breaker lesson's bank went down. */
function failuresSeen(): HTMLElement {
  const since = progress.done.breaker?.[0] ?? 0;
  const count = facts.filter((fact) => fact.name === 'order-BANK_UNAVAILABLE' && fact.at >= since).length;
  return h('p', { class: 'text-xs text-rose-200 tabular-nums', attrs: { 'data-testid': 'lesson-failures' } }, pt('lesson.breaker.failuresSeen', { count }));
}

const lessons: Lesson[] = [
  {
    id: 'jwt',
    title: 'lesson.jwt.title',
    intro: 'lesson.jwt.intro',
    code: ['functions/auth/tokens.ts', 'functions/auth/refresh-tokens-repository.ts', 'static-site/src/api.ts'],
    steps: [
      { text: 'lesson.jwt.login', check: () => getAccessToken() !== null },
      {
        text: 'lesson.jwt.decode',
        check: (since) => seen('decoded', since),
        extra: () => button(pt('lesson.jwt.decodeButton'), () => observe('decoded'), 'lesson-decode'),
        after: () => {
          const lifetime = lifetimeWhenDecoded;
          return (
            lifetime !== undefined &&
            h('p', { class: 'mt-1 font-mono text-xs text-violet-200', attrs: { 'data-testid': 'lesson-lifetime' } }, pt('lesson.jwt.lifetime', { seconds: lifetime }))
          );
        },
      },
      {
        text: 'lesson.jwt.expire',
        check: (since) => seen('token-expired', since),
        extra: () => {
          const expiresAt = expiresAtMs(getDecodedAccessToken());
          return (
            expiresAt !== undefined &&
            expiresAt > Date.now() &&
            h('p', { class: 'text-xs text-slate-300 tabular-nums' }, pt('lesson.jwt.expiresIn', { seconds: Math.ceil((expiresAt - Date.now()) / 1000) }))
          );
        },
      },
      {
        text: 'lesson.jwt.rotate',
        check: (since) => seen('refreshed', since),
        extra: () => button(pt('lesson.jwt.refreshButton'), () => void refreshNow(), 'lesson-refresh'),
      },
    ],
  },
  {
    id: 'authorizer',
    title: 'lesson.authorizer.title',
    intro: 'lesson.authorizer.intro',
    code: ['functions/authorizer/authorizer.ts', 'functions/authorizer/policy.ts', 'serverless.yml (custom.tokenAuthorizer)'],
    steps: [
      {
        text: 'lesson.authorizer.noToken',
        check: (since) => seen('no-token-refused', since),
        extra: () => button(pt('lesson.authorizer.noTokenButton'), () => void probe('no-token'), 'lesson-no-token'),
      },
      {
        text: 'lesson.authorizer.forged',
        check: (since) => seen('forged-token-refused', since),
        extra: () =>
          getAccessToken() === null
            ? h('p', { class: 'text-xs text-amber-200' }, pt('lesson.authorizer.forgedNeedsLogin'))
            : button(pt('lesson.authorizer.forgedButton'), () => void probe('forged-token', forgedToken()), 'lesson-forged'),
      },
      { text: 'lesson.authorizer.trace', check: (since) => seen('trace-refused-no-function', since) },
    ],
  },
  {
    id: 'breaker',
    title: 'lesson.breaker.title',
    intro: 'lesson.breaker.intro',
    code: ['functions/orders/bank-client.ts', 'functions/orders/place-order.ts'],
    steps: [
      { text: 'lesson.breaker.fail', check: () => bankFailing() },
      // The breaker's state comes from the health poll, a second late: these three look back to the failing bank.
      { text: 'lesson.breaker.failures', check: (_, done) => seen('order-BANK_UNAVAILABLE', done[0] ?? 0), extra: failuresSeen },
      { text: 'lesson.breaker.open', check: (_, done) => seen('breaker-open', done[0] ?? 0) || lastBreaker === 'open', extra: failuresSeen },
      { text: 'lesson.breaker.shortCircuit', check: (_, done) => seen('order-BREAKER_OPEN', done[0] ?? 0) },
      { text: 'lesson.breaker.repair', check: () => bankHealthy() },
      { text: 'lesson.breaker.halfOpen', check: (since) => seen('breaker-half-open', since) || lastBreaker === 'half-open' },
      // A declined payment is a good answer from the bank too: the trial succeeds either way.
      { text: 'lesson.breaker.closed', check: (since) => (seen('order-paid', since) || seen('order-declined', since)) && lastBreaker === 'closed' },
    ],
  },
  {
    id: 'idempotency',
    title: 'lesson.idempotency.title',
    intro: 'lesson.idempotency.intro',
    code: ['functions/orders/place-order.ts', 'functions/orders/settle-order.ts', 'static-site/src/order-flow.ts'],
    steps: [
      { text: 'lesson.idempotency.slow', check: () => (faults()?.latency_ms ?? 0) >= 2000 && !bankFailing() },
      { text: 'lesson.idempotency.pending', check: (since) => seen('order-PAYMENT_PENDING', since) },
      // While the bank stays that slow, asking it about the payment times out too: the order stays PENDING.
      { text: 'lesson.idempotency.restore', check: () => bankHealthy() },
      { text: 'lesson.idempotency.settled', check: (_, done) => seen('order-settled', done[1] ?? 0) },
    ],
  },
];

// ---- progress, kept for the tab ----

const STORAGE_KEY = 'shop.lessons';
type Progress = { selected: Lesson['id']; started: Partial<Record<Lesson['id'], number>>; done: Partial<Record<Lesson['id'], number[]>> };

function loadProgress(): Progress {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof stored === 'object' && stored !== null && 'selected' in stored && lessons.some((lesson) => lesson.id === stored.selected)) return stored as Progress;
  } catch {
    // A damaged entry starts the lessons afresh.
  }
  return { selected: 'jwt', started: {}, done: {} };
}

const progress = loadProgress();
const save = () => sessionStorage.setItem(STORAGE_KEY, JSON.stringify(progress));
const current = (): Lesson => lessons.find((lesson) => lesson.id === progress.selected) ?? (lessons[0] as Lesson);

/** Marks every step of the shown lesson that now holds, in order; redraws and says so when one changed. */
function evaluate(force = false): void {
  const lesson = current();
  const done = progress.done[lesson.id] ?? [];
  let since = progress.started[lesson.id] ?? Date.now();
  progress.started[lesson.id] ??= since;
  let changed = false;
  for (const [index, step] of lesson.steps.entries()) {
    const at = done[index];
    if (at !== undefined) {
      since = at;
      continue;
    }
    if (!step.check(since, done)) break;
    since = Date.now();
    done[index] = since;
    changed = true;
  }
  if (changed) {
    progress.done[lesson.id] = done;
    save();
  }
  if (changed || force) preservingFocus(render);
  if (changed) emit('lesson');
}

const showsCountdown = (): boolean => {
  const lesson = current();
  const done = progress.done[lesson.id] ?? [];
  return lesson.id === 'jwt' && done[1] !== undefined && done[2] === undefined;
};

// ---- the card ----

export const lessonsSection = h('div', { attrs: { 'data-testid': 'panel-lessons' } });

function render(): void {
  const lesson = current();
  const done = progress.done[lesson.id] ?? [];
  const doneCount = lesson.steps.filter((_, index) => done[index] !== undefined).length;
  const picker = h(
    'select',
    {
      class: 'field py-1 text-sm',
      attrs: { id: 'lesson-pick', 'aria-label': pt('lesson.pick') },
      on: {
        change: () => {
          progress.selected = picker.value as Lesson['id'];
          save();
          evaluate(true);
        },
      },
    },
    ...lessons.map((item) => h('option', { attrs: { value: item.id, selected: item.id === lesson.id } }, pt(item.title))),
  );
  const firstOpen = lesson.steps.findIndex((_, index) => done[index] === undefined);
  replaceChildren(
    lessonsSection,
    h('h3', { class: 'mb-2 text-sm font-semibold tracking-wide text-indigo-200 uppercase', attrs: { id: 'panel-lessons-title' } }, pt('lesson.title')),
    h(
      'div',
      { class: 'space-y-2', attrs: { 'data-lesson': lesson.id } },
      picker,
      h('p', { class: 'text-xs text-slate-200' }, pt(lesson.intro)),
      h(
        'p',
        { class: 'text-[11px] text-slate-300' },
        pt('lesson.code'),
        ' ',
        ...lesson.code.flatMap((file, index) => [index > 0 ? ', ' : '', h('code', { class: 'text-indigo-200' }, file)]),
      ),
      h(
        'ol',
        { class: 'space-y-1 text-xs' },
        ...lesson.steps.map((step, index) => {
          const isDone = done[index] !== undefined;
          return h(
            'li',
            {
              class: `rounded px-2 py-1 ${isDone ? 'bg-emerald-950 text-emerald-200' : index === firstOpen ? 'bg-slate-800 text-white' : 'text-slate-400'}`,
              attrs: { 'data-testid': 'lesson-step', 'data-done': isDone ? 'true' : 'false' },
            },
            h('span', { class: 'font-semibold' }, isDone ? '✓ ' : `${index + 1}. `),
            step.text && pt(step.text),
            h('span', { class: 'sr-only' }, ` (${pt(isDone ? 'lesson.stepDone' : 'lesson.stepTodo')})`),
            index === firstOpen && step.extra?.(),
            isDone && step.after?.(),
          );
        }),
      ),
      h(
        'div',
        { class: 'flex flex-wrap items-center justify-between gap-2' },
        h(
          'p',
          { class: 'text-xs font-semibold text-slate-200', attrs: { 'data-testid': 'lesson-progress', role: 'status' } },
          doneCount === lesson.steps.length ? pt('lesson.done') : pt('lesson.progress', { done: doneCount, total: lesson.steps.length }),
        ),
        h(
          'button',
          {
            class: 'btn-small text-slate-100',
            attrs: { type: 'button', id: 'lesson-reset' },
            on: {
              click: () => {
                progress.done[lesson.id] = [];
                progress.started[lesson.id] = Date.now();
                save();
                evaluate(true);
              },
            },
          },
          pt('lesson.reset'),
        ),
      ),
    ),
  );
}

let ticking = false;

/** Starts following the site for the lessons (the panel calls it once, when it mounts). */
export function mountLessons(): void {
  readLog();
  evaluate(true);
  on('log', readLog);
  on('lang', () => preservingFocus(render));
  on('session', () => evaluate(true));
  on('faults', () => evaluate());
  if (ticking) return;
  ticking = true;
  // Token expiry and live countdowns are a matter of time passing, not of an event.
  setInterval(() => {
    const expiresAt = expiresAtMs(getDecodedAccessToken());
    if (expiresAt !== undefined && expiresAt <= Date.now() && !seen('token-expired', expiresAt)) observe('token-expired');
    else evaluate(showsCountdown());
  }, 1000);
}
