// The signed-in admin's own passkeys: add one (this browser or a security key) and remove them.

import { h, mount } from '../dom.js';
import { t, time } from '../i18n.js';
import { api } from '../api.js';
import { table, field, statusLine, formValues } from '../ui.js';
import * as webauthn from '../passkeys.js';

export async function render(main, message) {
  const status = statusLine();
  if (message) status.ok(message);
  const reload = message => render(main, message);
  const { passkeys } = await api('GET', '/users/me/passkeys');

  const add = h('form', {
    class: 'card grid', 'data-form': 'add-passkey',
    onsubmit: async event => {
      event.preventDefault();
      try {
        const { ceremony_id, options } = await api('POST', '/users/me/passkeys/options');
        const credential = await webauthn.create(options);
        await api('POST', '/users/me/passkeys', { ceremony_id, label: formValues(add).label, credential });
        await reload(t('account.added'));
      } catch (error) {
        status.error(error);
      }
    },
  },
  h('h2', {}, t('account.addPasskey')),
  field(t('account.label'), h('input', { name: 'label', required: true, maxlength: 100 })),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('account.add'))));

  mount(main, h('section', { 'data-page': 'account' },
    h('h1', {}, t('account.title')),
    status.element,
    table('passkeys', [
      { label: t('account.label'), cell: row => row.label },
      { label: t('common.created'), cell: row => time(row.created_at) },
      { label: t('user.lastUsed'), cell: row => row.last_used_at ? time(row.last_used_at) : '–' },
      {
        label: '', cell: row => h('button', {
          type: 'button', class: 'secondary', 'data-action': 'remove-passkey',
          onclick: async () => {
            try {
              await api('DELETE', '/users/me/passkeys/' + encodeURIComponent(row.id));
              await reload();
            } catch (error) {
              status.error(error);
            }
          },
        }, t('user.remove')),
      },
    ], passkeys),
    add));
}
