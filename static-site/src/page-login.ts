import { type ApiResponse, call, retryAfterSeconds } from './api';
import { type Credentials, codeOf, messageOf, parseTokenPair, validationDetailsOf } from './api-bodies';
import { API_URL } from './config';
import { h, replaceChildren } from './dom';
import { errorText, t } from './i18n';
import { navigate, setFlash, takeFlash, takeReturn } from './router';
import { storeTokens } from './session';
import { type NoticeKind, notice, pageHeading, spinner } from './ui';

type Action = 'login' | 'register';
type Field = 'username' | 'password';

interface LoginState {
  username: string;
  busy: Action | null;
  message: { kind: NoticeKind; text: string } | null;
  errors: Partial<Record<Field, string>>;
}

const state: LoginState = { username: '', busy: null, message: null, errors: {} };

// Updates the rendered form in place, so a failed attempt does not wipe the password field.
let updateView: () => void = () => undefined;
let focusAfterUpdate: string | null = null;

// The demo account only exists on local stages.
const isLocalApi = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(API_URL);

// The API's rules for a new account (functions/auth/schemas.ts), stated up front and checked before sending.
// The password minimum counts characters (Unicode code points), the maximum bytes of UTF-8 (bcrypt's limit).
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;
const PASSWORD_MIN_CHARS = 8;
const PASSWORD_MAX_BYTES = 72;
const codePoints = (text: string) => [...text].length;
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

function passwordProblem(password: string): string | undefined {
  if (codePoints(password) < PASSWORD_MIN_CHARS) return t('login.passwordShort', { count: codePoints(password) });
  if (utf8Bytes(password) > PASSWORD_MAX_BYTES) return t('login.passwordLong', { bytes: utf8Bytes(password) });
  return undefined;
}

/** What the page can tell before sending: empty fields, and for a new account the API's rules. */
function localErrors(action: Action, username: string, password: string): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (username === '') errors.username = t('login.required');
  if (password === '') errors.password = t('login.required');
  if (action === 'register') {
    if (errors.username === undefined && !USERNAME_PATTERN.test(username)) errors.username = t('login.usernameInvalid');
    const problem = password === '' ? undefined : passwordProblem(password);
    if (problem !== undefined) errors.password = problem;
  }
  return errors;
}

export function enterLogin(): void {
  const flash = takeFlash();
  state.busy = null;
  state.errors = {};
  state.message = flash ? { kind: flash.kind, text: flash.text } : null;
}

/** A refusal in the page's language: field errors from `details[].path`, the rest from `code`. */
function applyFailure(res: ApiResponse, password: string): void {
  const code = codeOf(res.body);
  const errors: Partial<Record<Field, string>> = {};
  if (code === 'VALIDATION_FAILED') {
    for (const detail of validationDetailsOf(res.body)) {
      if (detail.path === 'username') errors.username = t('login.usernameInvalid');
      else if (detail.path === 'password') errors.password = passwordProblem(password) ?? detail.message;
    }
  } else if (code === 'PASSWORD_TOO_LONG') {
    errors.password = t('login.passwordLong', { bytes: utf8Bytes(password) });
  } else if (code === 'USERNAME_TAKEN') {
    errors.username = t('code.USERNAME_TAKEN');
  }
  state.errors = errors;
  const text =
    res.status === 429
      ? t('login.rateLimited', { seconds: retryAfterSeconds(res) ?? '?' })
      : Object.keys(errors).length > 0 && code !== 'USERNAME_TAKEN'
        ? t('login.fixFields')
        : errorText(res.status, code, messageOf(res.body));
  state.message = { kind: 'error', text };
  focusAfterUpdate = errors.username !== undefined ? 'login-username' : errors.password !== undefined ? 'login-password' : null;
}

async function logIn(body: Credentials): Promise<ApiResponse | null> {
  const res = await call('POST', '/auth/login', { body });
  const tokens = res.status === 200 ? parseTokenPair(res.body) : null;
  if (!tokens) return res;
  storeTokens(tokens);
  navigate(takeReturn());
  return null;
}

async function submit(action: Action, username: string, password: string): Promise<void> {
  state.username = username;
  state.busy = action;
  state.message = null;
  state.errors = {};
  updateView();
  const body: Credentials = { username, password };
  if (action === 'login') {
    const refused = await logIn(body);
    state.busy = null;
    if (refused === null) return;
    applyFailure(refused, password);
    updateView();
    return;
  }
  const res = await call('POST', '/auth/register', { body });
  if (res.status !== 201) {
    state.busy = null;
    applyFailure(res, password);
    updateView();
    return;
  }
  // A new account signs in at once with what was just typed.
  setFlash('success', t('login.registeredSignedIn'));
  const refused = await logIn(body);
  state.busy = null;
  if (refused === null) return;
  takeFlash();
  // Signing in failed after all (throttled, say): the filled form stays, focus on « Se connecter ».
  state.message = { kind: 'success', text: t('login.registeredSignIn') };
  focusAfterUpdate = 'login-submit';
  updateView();
}

function field(id: string, name: Field, label: string, rulesId: string | null, input: HTMLInputElement, error: HTMLElement): HTMLElement {
  return h(
    'div',
    {},
    h('label', { class: 'block text-sm font-medium', attrs: { for: id } }, label),
    rulesId !== null &&
      h(
        'p',
        { class: 'mt-0.5 text-xs text-slate-600', attrs: { id: rulesId, 'data-testid': `${name}-rules` } },
        name === 'username' ? t('login.usernameRules') : t('login.passwordRules'),
      ),
    input,
    error,
  );
}

export function renderLogin(): HTMLElement {
  const username = h('input', {
    class: 'field mt-1 aria-invalid:ring-2 aria-invalid:ring-rose-600',
    attrs: {
      id: 'login-username',
      name: 'username',
      autocomplete: 'username',
      autocapitalize: 'none',
      spellcheck: 'false',
      maxlength: 256,
      required: true,
      value: state.username,
    },
  });
  const password = h('input', {
    class: 'field mt-1 aria-invalid:ring-2 aria-invalid:ring-rose-600',
    attrs: { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true },
  });
  const usernameError = h('p', { class: 'mt-1 text-sm font-medium text-rose-700', attrs: { id: 'login-username-error', 'data-testid': 'username-error' } });
  const passwordError = h('p', { class: 'mt-1 text-sm font-medium text-rose-700', attrs: { id: 'login-password-error', 'data-testid': 'password-error' } });
  const loginButton = h('button', { class: 'btn-primary', attrs: { id: 'login-submit', type: 'submit', value: 'login' } });
  const registerButton = h('button', { class: 'btn-secondary', attrs: { id: 'register-submit', type: 'submit', value: 'register' } });
  const messageRegion = h('div', { class: 'mt-4', attrs: { 'aria-live': 'polite', 'data-testid': 'login-message' } });

  const showError = (input: HTMLInputElement, error: HTMLElement, rulesId: string, text: string | undefined) => {
    error.textContent = text ?? '';
    error.hidden = text === undefined;
    if (text === undefined) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', text === undefined ? rulesId : `${error.id} ${rulesId}`);
  };
  const buttonLabel = (button: HTMLButtonElement, action: Action, idle: string, busy: string) => {
    const pressed = state.busy === action;
    button.disabled = state.busy !== null;
    button.setAttribute('aria-busy', String(pressed));
    replaceChildren(button, pressed && spinner(), pressed ? busy : idle);
  };
  updateView = () => {
    buttonLabel(loginButton, 'login', t('login.submit'), t('login.busyLogin'));
    buttonLabel(registerButton, 'register', t('login.register'), t('login.busyRegister'));
    showError(username, usernameError, 'username-rules', state.errors.username);
    showError(password, passwordError, 'password-rules', state.errors.password);
    replaceChildren(messageRegion, state.message && notice(state.message.kind, state.message.text));
    if (focusAfterUpdate !== null) {
      document.getElementById(focusAfterUpdate)?.focus();
      focusAfterUpdate = null;
    }
  };
  updateView();
  const form = h(
    'form',
    {
      class: 'mt-6 space-y-4',
      // Our own messages (in the page's language) replace the browser's validation bubbles.
      attrs: { 'aria-describedby': 'login-intro', novalidate: true },
      on: {
        submit: (event) => {
          event.preventDefault();
          if (state.busy !== null) return;
          const submitter = event.submitter;
          const action: Action = submitter instanceof HTMLButtonElement && submitter.value === 'register' ? 'register' : 'login';
          const name = username.value.trim();
          const errors = localErrors(action, name, password.value);
          if (Object.keys(errors).length > 0) {
            state.errors = errors;
            state.message = { kind: 'error', text: name === '' || password.value === '' ? t('login.missing') : t('login.fixFields') };
            focusAfterUpdate = errors.username !== undefined ? 'login-username' : 'login-password';
            updateView();
            return;
          }
          void submit(action, name, password.value);
        },
      },
    },
    field('login-username', 'username', t('login.username'), 'username-rules', username, usernameError),
    field('login-password', 'password', t('login.password'), 'password-rules', password, passwordError),
    h('div', { class: 'flex flex-wrap gap-3 pt-2' }, loginButton, registerButton),
  );
  return h(
    'section',
    { class: 'card mx-auto max-w-md', attrs: { 'aria-labelledby': 'page-title' } },
    pageHeading(t('login.title')),
    h('p', { class: 'mt-2 text-sm text-slate-600', attrs: { id: 'login-intro' } }, t('login.intro')),
    messageRegion,
    form,
    isLocalApi && h('p', { class: 'mt-6 text-xs text-slate-600' }, t('login.demo')),
  );
}
