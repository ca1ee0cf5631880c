// The console's shell: sign-in, navigation and a hash router over the pages.

import { h, mount } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import { signIn, signInSecondStep, passkeyOptions, signInWithPasskey, signOut, signedIn, whenSignedOut,
  whenReauthenticationNeeded, ApiError } from './api.js';
import * as webauthn from './passkeys.js';
import { statusLine, field } from './ui.js';
import * as dashboard from './pages/dashboard.js';
import * as users from './pages/users.js';
import * as user from './pages/user.js';
import * as audit from './pages/audit.js';
import * as inbox from './pages/inbox.js';
import * as queues from './pages/queues.js';
import * as bots from './pages/bots.js';
import * as bot from './pages/bot.js';
import * as account from './pages/account.js';
import * as clients from './pages/clients.js';
import * as identityProviders from './pages/identity-providers.js';

const routes = [
  { pattern: /^#\/dashboard$/, page: dashboard, nav: 'dashboard' },
  { pattern: /^#\/users$/, page: users, nav: 'users' },
  { pattern: /^#\/users\/([0-9a-f]+)$/, page: user, nav: 'users' },
  { pattern: /^#\/audit$/, page: audit, nav: 'audit' },
  { pattern: /^#\/inbox$/, page: inbox, nav: 'inbox' },
  { pattern: /^#\/inbox\/(\d+)$/, page: inbox, nav: 'inbox' },
  { pattern: /^#\/queues$/, page: queues, nav: 'queues' },
  { pattern: /^#\/bots$/, page: bots, nav: 'bots' },
  { pattern: /^#\/bots\/(\d+)$/, page: bot, nav: 'bots' },
  { pattern: /^#\/clients$/, page: clients, nav: 'clients' },
  { pattern: /^#\/identity-providers$/, page: identityProviders, nav: 'identityProviders' },
  { pattern: /^#\/account$/, page: account, nav: 'account' },
];

const root = document.getElementById('app');
let admin = null;
let endedMessage = null;

function signInPage() {
  const status = statusLine();
  if (endedMessage) status.error(endedMessage);
  const form = h('form', {
    class: 'card sign-in', 'data-page': 'sign-in',
    onsubmit: async event => {
      event.preventDefault();
      const values = new FormData(form);
      status.clear();
      try {
        const answer = await signIn(values.get('username'), values.get('password'));
        if (answer.mfaToken) {
          secondStepPage(answer.mfaToken, answer.methods);
          return;
        }
        admitted(answer);
      } catch (error) {
        status.error(error instanceof ApiError && error.problem?.code === 'not-admin' ? t('signIn.notAdmin') : error);
      }
    },
  },
  h('h1', {}, t('signIn.title')),
  field(t('signIn.username'), h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true })),
  field(t('signIn.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
  status.element,
  h('button', { type: 'submit' }, t('signIn.submit')),
  webauthn.supported() ? h('button', {
    type: 'button', class: 'secondary', 'data-action': 'passkey-sign-in',
    onclick: async () => {
      status.clear();
      try {
        const { ceremony_id, options } = await passkeyOptions();
        admitted(await signInWithPasskey(ceremony_id, await webauthn.get(options)));
      } catch (error) {
        status.error(error instanceof ApiError && error.problem?.code === 'not-admin' ? t('signIn.notAdmin') : error);
      }
    },
  }, t('signIn.passkey')) : null);
  mount(root, h('main', { class: 'centered' }, languageButton(), form));
}

function admitted(me) {
  admin = me;
  endedMessage = null;
  if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/dashboard';
  render();
}

// An admin with a second factor: the authenticator's code, or one of the recovery codes.
function secondStepPage(mfaToken, methods = []) {
  const status = statusLine();
  const form = h('form', {
    class: 'card sign-in', 'data-page': 'second-factor',
    onsubmit: async event => {
      event.preventDefault();
      status.clear();
      try {
        admitted(await signInSecondStep(mfaToken, String(new FormData(form).get('code')).trim()));
      } catch (error) {
        if (error instanceof ApiError && error.problem?.type?.endsWith(':mfa-token-invalid')) {
          endedMessage = error.message;
          signInPage();
          return;
        }
        status.error(error instanceof ApiError && error.problem?.code === 'not-admin' ? t('signIn.notAdmin') : error);
      }
    },
  },
  h('h1', {}, t('signIn.secondFactor')),
  h('p', {}, t('signIn.secondFactorHelp')),
  field(t('signIn.code'), h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'text', required: true, autofocus: true, maxlength: 32 })),
  status.element,
  h('button', { type: 'submit' }, t('signIn.verify')),
  methods.includes('passkey') && webauthn.supported() ? h('button', {
    type: 'button', class: 'secondary', 'data-action': 'passkey-second-factor',
    onclick: async () => {
      status.clear();
      try {
        const { ceremony_id, options } = await passkeyOptions(mfaToken);
        const credential = await webauthn.get(options);
        admitted(await signInSecondStep(mfaToken, { passkey: { ceremony_id, credential } }));
      } catch (error) {
        status.error(error instanceof ApiError && error.problem?.code === 'not-admin' ? t('signIn.notAdmin') : error);
      }
    },
  }, t('signIn.usePasskey')) : null);
  mount(root, h('main', { class: 'centered' }, languageButton(), form));
}

function languageButton() {
  return h('button', {
    type: 'button', class: 'link language', 'data-action': 'language',
    onclick: () => {
      setLang(lang() === 'tr' ? 'en' : 'tr');
      render();
    },
  }, t('nav.language'));
}

function shell(active) {
  const link = (name, hash) => h('a', { href: hash, class: name === active ? 'active' : null, 'data-nav': name }, t('nav.' + name));
  const main = h('main', { id: 'page' });
  mount(root,
    h('header', { class: 'top' },
      h('strong', { class: 'brand' }, t('app.title')),
      h('nav', {},
        link('dashboard', '#/dashboard'), link('users', '#/users'), link('audit', '#/audit'),
        link('inbox', '#/inbox'), link('queues', '#/queues'), link('bots', '#/bots'), link('clients', '#/clients'),
        link('identityProviders', '#/identity-providers'), link('account', '#/account')),
      h('span', { class: 'who' }, admin?.email),
      languageButton(),
      h('button', {
        type: 'button', class: 'link', 'data-action': 'sign-out',
        onclick: async () => {
          await signOut();
          admin = null;
          render();
        },
      }, t('nav.signOut'))),
    main);
  return main;
}

async function render() {
  document.title = t('app.title');
  document.documentElement.lang = lang();
  if (!signedIn()) {
    signInPage();
    return;
  }
  const hash = location.hash || '#/dashboard';
  const route = routes.find(candidate => candidate.pattern.test(hash)) || routes[0];
  const params = hash.match(route.pattern)?.slice(1) || [];
  const main = shell(route.nav);
  main.append(h('p', { class: 'loading' }, t('common.loading')));
  try {
    await route.page.render(main, ...params);
  } catch (error) {
    mount(main, h('p', { class: 'notice error', role: 'alert' }, error.message));
  }
}

whenSignedOut(() => {
  admin = null;
  endedMessage = t('signIn.ended');
  render();
});
/**
 * Recent authentication: a modal asks for the password or the authenticator code (six digits); answers the
 * proof for /auth/reauthenticate, or null when the admin cancels. A wrong answer shows the server's message.
 */
whenReauthenticationNeeded(reason => new Promise(resolve => {
  const status = statusLine();
  if (reason?.status === 400) status.error(reason);
  const input = h('input', { name: 'proof', type: 'password', autocomplete: 'current-password', required: true });
  const dialog = h('dialog', { class: 'card', 'data-dialog': 'reauthenticate' });
  const close = proof => {
    dialog.close();
    dialog.remove();
    resolve(proof);
  };
  const form = h('form', {
    onsubmit: event => {
      event.preventDefault();
      const value = input.value.trim();
      close(/^\d{6}$/.test(value) ? { code: value } : { password: input.value });
    },
  },
  h('h2', {}, t('reauth.title')),
  h('p', {}, t('reauth.help')),
  field(t('reauth.proof'), input),
  status.element,
  h('button', { type: 'submit' }, t('reauth.confirm')),
  h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-reauthenticate', onclick: () => close(null) },
    t('reauth.cancel')));
  dialog.append(form);
  dialog.addEventListener('cancel', () => close(null));
  document.body.append(dialog);
  dialog.showModal();
  input.focus();
}));
window.addEventListener('hashchange', render);
render();
