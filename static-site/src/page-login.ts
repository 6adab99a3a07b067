import { call, retryAfterSeconds, type ApiResponse } from './api';
import { messageOf, parseTokenPair, type Credentials } from './api-bodies';
import { API_URL } from './config';
import { h, replaceChildren } from './dom';
import { t } from './i18n';
import { navigate, takeFlash } from './router';
import { storeTokens } from './session';
import { notice, pageHeading, type NoticeKind } from './ui';

interface LoginState {
  username: string;
  busy: boolean;
  message: { kind: NoticeKind; text: string } | null;
}

const state: LoginState = { username: '', busy: false, message: null };

// Updates the rendered form in place, so a failed attempt does not wipe the password field.
let updateView: () => void = () => undefined;

// The demo account only exists on local stages.
const isLocalApi = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(API_URL);

export function enterLogin(): void {
  const flash = takeFlash();
  state.busy = false;
  state.message = flash ? { kind: flash.kind, text: flash.text } : null;
}

function failureText(res: ApiResponse): string {
  if (res.status === 0) return t('error.network', { url: 'API' });
  if (res.status === 429) return t('login.rateLimited', { seconds: retryAfterSeconds(res) ?? '?' });
  return messageOf(res.body) ?? t('error.generic', { status: res.status });
}

async function submit(action: 'login' | 'register', username: string, password: string): Promise<void> {
  state.username = username;
  state.busy = true;
  state.message = null;
  updateView();
  const body: Credentials = { username, password };
  const res = await call('POST', action === 'login' ? '/auth/login' : '/auth/register', { body });
  state.busy = false;
  if (action === 'login') {
    const tokens = res.status === 200 ? parseTokenPair(res.body) : null;
    if (tokens) {
      storeTokens(tokens);
      navigate('/');
      return;
    }
    state.message = { kind: 'error', text: failureText(res) };
  } else if (res.status === 201) {
    state.message = { kind: 'success', text: messageOf(res.body) ?? t('login.registered') };
  } else {
    state.message = { kind: 'error', text: failureText(res) };
  }
  updateView();
}

export function renderLogin(): HTMLElement {
  const username = h('input', {
    class: 'field mt-1',
    attrs: { id: 'login-username', name: 'username', autocomplete: 'username', required: true, value: state.username },
  });
  const password = h('input', {
    class: 'field mt-1',
    attrs: { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true },
  });
  const loginButton = h('button', { class: 'btn-primary', attrs: { id: 'login-submit', type: 'submit', value: 'login' } });
  const registerButton = h('button', { class: 'btn-secondary', attrs: { id: 'register-submit', type: 'submit', value: 'register' } }, t('login.register'));
  const messageRegion = h('div', { class: 'mt-4', attrs: { 'aria-live': 'polite', 'data-testid': 'login-message' } });
  updateView = () => {
    loginButton.disabled = state.busy;
    registerButton.disabled = state.busy;
    loginButton.textContent = state.busy ? t('login.busy') : t('login.submit');
    replaceChildren(messageRegion, state.message && notice(state.message.kind, state.message.text));
  };
  updateView();
  const form = h(
    'form',
    {
      class: 'mt-6 space-y-4',
      // Our own message (in the page's language) replaces the browser's validation bubble.
      attrs: { 'aria-describedby': 'login-intro', novalidate: true },
      on: {
        submit: (event) => {
          event.preventDefault();
          if (state.busy) return;
          const submitter = (event as SubmitEvent).submitter;
          const action = submitter instanceof HTMLButtonElement && submitter.value === 'register' ? 'register' : 'login';
          if (username.value.trim() === '' || password.value === '') {
            state.message = { kind: 'error', text: t('login.missing') };
            updateView();
            return;
          }
          void submit(action, username.value.trim(), password.value);
        },
      },
    },
    h('div', {}, h('label', { class: 'block text-sm font-medium', attrs: { for: 'login-username' } }, t('login.username')), username),
    h('div', {}, h('label', { class: 'block text-sm font-medium', attrs: { for: 'login-password' } }, t('login.password')), password),
    h(
      'div',
      { class: 'flex flex-wrap gap-3 pt-2' },
      loginButton,
      registerButton,
    ),
  );
  return h(
    'section',
    { class: 'card mx-auto max-w-md', attrs: { 'aria-labelledby': 'page-title' } },
    pageHeading(t('login.title')),
    h('p', { class: 'mt-2 text-sm text-slate-600', attrs: { id: 'login-intro' } }, t('login.intro')),
    messageRegion,
    form,
    isLocalApi && h('p', { class: 'mt-6 text-xs text-slate-500' }, t('login.demo')),
  );
}
