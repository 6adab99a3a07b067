// The breaker under live traffic: « Envoyer 20 commandes » (local stacks only) fires concurrent orders
// for the signed-in user, and a chart of the last minute shows the answers per second by outcome, their
// worst latency, and the breaker's state as bands with its transitions marked. Plain SVG, no library.
import { call, type OrderAnswer, recentOrderAnswers } from './api';
import { type BreakerState, parseProducts } from './api-bodies';
import { h, replaceChildren } from './dom';
import { preservingFocus } from './focus';
import { t } from './i18n';
import { type BreakerTimeline, fetchBreakerTimeline } from './local-traces';
import { pt } from './panel-i18n';
import { isSignedIn } from './session';

/** True in a site built for a local stack (scripts/site/build.mjs). */
declare const __LOCAL_STAGE__: boolean;

const WINDOW_MS = 60_000;
const MAX_TRAFFIC = 50;
const DEFAULT_TRAFFIC = 20;
const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const HEIGHT = 130;
const PLOT_TOP = 8;
const PLOT_BOTTOM = 112;

type Outcome = 'paid' | 'declined' | 'unavailable' | 'breakerOpen' | 'pending' | 'other';
const OUTCOMES: Outcome[] = ['paid', 'declined', 'unavailable', 'breakerOpen', 'pending', 'other'];
const outcomeColours: Record<Outcome, string> = {
  paid: '#34d399',
  declined: '#fbbf24',
  unavailable: '#fb7185',
  breakerOpen: '#f43f5e',
  pending: '#a78bfa',
  other: '#94a3b8',
};
const bandColours: Record<BreakerState, string> = { closed: '#064e3b', open: '#7f1d1d', 'half-open': '#78350f' };

function outcomeOf(answer: OrderAnswer): Outcome {
  if (answer.status === 201) return 'paid';
  if (answer.status === 402) return 'declined';
  if (answer.code === 'BANK_UNAVAILABLE') return 'unavailable';
  if (answer.code === 'BREAKER_OPEN') return 'breakerOpen';
  if (answer.code === 'PAYMENT_PENDING') return 'pending';
  return 'other';
}

// ---- the breaker's states over the window: the collector's transitions, else the health polls ----

const healthSamples: { at: number; state: BreakerState }[] = [];
let timeline: BreakerTimeline | null = null;

/** Each /api/health answer the panel reads: the breaker's history when no trace collector runs. */
export function noteBreakerState(state: BreakerState): void {
  const last = healthSamples.at(-1);
  if (last?.state !== state) healthSamples.push({ at: Date.now(), state });
  while (healthSamples.length > 1 && (healthSamples[1]?.at ?? 0) < Date.now() - WINDOW_MS) healthSamples.shift();
}

interface Band {
  from: number;
  to: number;
  state: BreakerState;
}

function bands(now: number): { bands: Band[]; transitions: { at: number; state: BreakerState }[] } {
  const since = now - WINDOW_MS;
  const changes = timeline
    ? [{ at: since, state: timeline.stateAtSince }, ...timeline.events.filter((event) => event.at >= since)]
    : healthSamples.map((sample) => ({ at: Math.max(since, sample.at), state: sample.state }));
  const result: Band[] = changes.map((change, index) => ({ from: change.at, to: changes[index + 1]?.at ?? now, state: change.state }));
  return { bands: result, transitions: changes.slice(1) };
}

// ---- the chart ----

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

function chart(now: number, answers: readonly OrderAnswer[]): SVGSVGElement {
  const since = now - WINDOW_MS;
  const x = (at: number) => ((at - since) / WINDOW_MS) * WIDTH;
  const seconds = Array.from({ length: 60 }, () => ({ counts: new Map<Outcome, number>(), worstMs: 0 }));
  for (const answer of answers) {
    const slot = seconds[Math.floor((answer.at - since) / 1000)];
    if (!slot) continue;
    const outcome = outcomeOf(answer);
    slot.counts.set(outcome, (slot.counts.get(outcome) ?? 0) + 1);
    slot.worstMs = Math.max(slot.worstMs, answer.durationMs);
  }
  const most = Math.max(1, ...seconds.map((slot) => [...slot.counts.values()].reduce((sum, count) => sum + count, 0)));
  const slowest = Math.max(100, ...seconds.map((slot) => slot.worstMs));
  const plot = PLOT_BOTTOM - PLOT_TOP;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'w-full', role: 'img', 'aria-label': pt('traffic.chartLabel'), 'data-testid': 'traffic-chart' });
  const { bands: stateBands, transitions } = bands(now);
  for (const band of stateBands) {
    root.append(
      svg(
        'rect',
        {
          x: x(band.from),
          y: PLOT_TOP,
          width: Math.max(1, x(band.to) - x(band.from)),
          height: plot,
          fill: bandColours[band.state],
          'data-testid': 'breaker-band',
          'data-state': band.state,
        },
        svg('title', {}, t(`panel.breaker.${band.state}`)),
      ),
    );
  }
  seconds.forEach((slot, index) => {
    let y = PLOT_BOTTOM;
    for (const outcome of OUTCOMES) {
      const count = slot.counts.get(outcome) ?? 0;
      if (count === 0) continue;
      const height = (count / most) * plot;
      y -= height;
      root.append(
        svg('rect', {
          x: index * (WIDTH / 60) + 0.5,
          y,
          width: WIDTH / 60 - 1,
          height,
          fill: outcomeColours[outcome],
          'data-testid': 'traffic-bar',
          'data-outcome': outcome,
        }),
      );
    }
  });
  const latency = seconds.flatMap((slot, index) => (slot.worstMs > 0 ? [`${index * (WIDTH / 60) + WIDTH / 120},${PLOT_BOTTOM - (slot.worstMs / slowest) * plot}`] : []));
  if (latency.length > 0) root.append(svg('polyline', { points: latency.join(' '), fill: 'none', stroke: '#e2e8f0', 'stroke-width': 1, 'stroke-dasharray': '2 2' }));
  let lastLabelAt = Number.NEGATIVE_INFINITY;
  for (const transition of transitions) {
    const at = x(transition.at);
    root.append(
      svg('line', {
        x1: at,
        x2: at,
        y1: PLOT_TOP,
        y2: PLOT_BOTTOM,
        stroke: transition.state === 'closed' ? '#34d399' : '#fde68a',
        'stroke-width': 1.5,
        'data-testid': 'breaker-transition',
        'data-state': transition.state,
      }),
    );
    // Labels that would overlap the previous one are left to the line's colour and the summary below.
    if (at - lastLabelAt < 34) continue;
    lastLabelAt = at;
    root.append(svg('text', { x: Math.min(WIDTH - 40, at + 2), y: PLOT_TOP + 9, fill: '#f8fafc', 'font-size': 8 }, t(`panel.breaker.${transition.state}`)));
  }
  root.append(
    svg('line', { x1: 0, x2: WIDTH, y1: PLOT_BOTTOM, y2: PLOT_BOTTOM, stroke: '#64748b' }),
    svg('text', { x: 0, y: HEIGHT - 4, fill: '#94a3b8', 'font-size': 9 }, '-60 s'),
    svg('text', { x: WIDTH - 4, y: HEIGHT - 4, fill: '#94a3b8', 'font-size': 9, 'text-anchor': 'end' }, '0'),
    svg('text', { x: 2, y: PLOT_TOP + 18, fill: '#cbd5e1', 'font-size': 8 }, `${most}/s · ${slowest} ms`),
  );
  return root;
}

function summary(answers: readonly OrderAnswer[], now: number): string {
  const count = (outcome: Outcome) => answers.filter((answer) => outcomeOf(answer) === outcome).length;
  const moves = bands(now).transitions.map((transition) => t(`panel.breaker.${transition.state}`));
  return pt('traffic.summary', {
    paid: count('paid'),
    declined: count('declined'),
    unavailable: count('unavailable'),
    open: count('breakerOpen'),
    pending: count('pending'),
    other: count('other'),
    transitions: moves.length > 0 ? moves.join(' → ') : pt('traffic.noTransition'),
  });
}

// ---- the traffic button ----

let trafficCount = DEFAULT_TRAFFIC;
let sending = false;
let sentMessage = '';

async function sendTraffic(count: number): Promise<void> {
  sending = true;
  sentMessage = '';
  preservingFocus(renderTrafficControls);
  const products = parseProducts((await call('GET', '/api/products')).body);
  const article = products?.[0]?.article;
  const answers = article
    ? await Promise.all(
        Array.from({ length: count }, () =>
          call('POST', '/api/orders', { auth: true, body: { items: [{ article, quantity: 1 }] }, headers: { 'Idempotency-Key': crypto.randomUUID() } }),
        ),
      )
    : [];
  const byStatus = new Map<string, number>();
  for (const answer of answers) {
    const key = answer.status === 0 ? 'ERR' : String(answer.status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }
  sending = false;
  sentMessage = pt('traffic.sent', { count: answers.length, summary: [...byStatus].map(([status, n]) => `${n} × ${status}`).join(', ') });
  preservingFocus(renderTrafficControls);
  renderChart();
}

export const trafficSection = h('div', { attrs: { 'data-testid': 'panel-traffic' } });
const controlsBox = h('div', {});
const chartBox = h('div', { class: 'space-y-1' });

/** The count, the button and the last sending's result: redrawn when they change, not on every poll. */
export function renderTrafficControls(): void {
  // A literal for esbuild (scripts/site/build.mjs defines it), so a deployed site carries none of this.
  if (!__LOCAL_STAGE__) return;
  const input = h('input', {
    class: 'field w-20 py-1 text-sm',
    attrs: { id: 'traffic-count', type: 'number', min: 1, max: MAX_TRAFFIC, step: 1, value: trafficCount, inputmode: 'numeric', 'aria-describedby': 'traffic-rule' },
    on: {
      input: () => {
        const value = Number(input.value);
        if (Number.isInteger(value) && value >= 1 && value <= MAX_TRAFFIC) {
          trafficCount = value;
          send.textContent = pt('traffic.send', { count: value });
        }
      },
    },
  });
  const send = h(
    'button',
    {
      class: 'btn-primary py-1.5',
      attrs: { id: 'traffic-send', type: 'button', disabled: sending || !isSignedIn() },
      on: { click: () => void sendTraffic(trafficCount) },
    },
    sending ? pt('traffic.sending') : pt('traffic.send', { count: trafficCount }),
  );
  replaceChildren(
    controlsBox,
    h(
      'div',
      { class: 'flex flex-wrap items-center gap-2' },
      h('label', { class: 'text-xs text-slate-200', attrs: { for: 'traffic-count' } }, pt('traffic.count')),
      input,
      send,
    ),
    h(
      'p',
      { class: 'text-[11px] text-slate-400', attrs: { id: 'traffic-rule' } },
      isSignedIn() ? pt('traffic.countRule', { max: MAX_TRAFFIC }) : pt('traffic.needLogin'),
    ),
    sentMessage && h('p', { class: 'text-xs text-slate-200', attrs: { role: 'status', 'data-testid': 'traffic-sent' } }, sentMessage),
  );
}

function renderChart(): void {
  const now = Date.now();
  const answers = recentOrderAnswers().filter((answer) => answer.at >= now - WINDOW_MS);
  const legend = h(
    'ul',
    { class: 'flex flex-wrap gap-x-3 gap-y-1 text-[10px] text-slate-300', attrs: { 'aria-hidden': 'true' } },
    ...OUTCOMES.map((outcome) => {
      const swatch = h('span', { class: 'inline-block size-2 rounded-sm' });
      swatch.style.backgroundColor = outcomeColours[outcome];
      return h('li', { class: 'flex items-center gap-1' }, swatch, pt(`traffic.${outcome}`));
    }),
    h('li', {}, `┄ ${pt('traffic.latency')}`),
  );
  replaceChildren(
    chartBox,
    chart(now, answers),
    legend,
    h('p', { class: 'text-[11px] text-slate-300', attrs: { 'data-testid': 'traffic-summary' } }, answers.length === 0 ? pt('traffic.empty') : summary(answers, now)),
  );
}

/** The whole section, e.g. after a language switch. */
export function renderTraffic(): void {
  renderTrafficControls();
  renderChart();
  replaceChildren(trafficSection, h('h4', { class: 'mt-3 mb-1 text-xs font-semibold text-indigo-200' }, pt('traffic.title')), controlsBox, chartBox);
}

/** Reads the breaker's transitions again (when a collector runs) and redraws the chart; the panel calls it every poll. */
export async function refreshTraffic(): Promise<void> {
  timeline = await fetchBreakerTimeline(Date.now() - WINDOW_MS);
  renderChart();
}
