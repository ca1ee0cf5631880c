// The OpenID provider's clients: list, register (the secret is shown once), rotate a secret, delete.

import { h, mount } from '../dom.js';
import { t, time } from '../i18n.js';
import { api, call } from '../api.js';
import { table, pager, field, statusLine, badge } from '../ui.js';

const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code'];

function lines(text) {
  return text.split(/\s+/).map(line => line.trim()).filter(line => line);
}

function secretNotice(status, clientId, secret) {
  status.element.replaceChildren(h('div', { class: 'notice ok', role: 'status', 'data-secret-of': clientId },
    h('p', {}, t('clients.secretOnce')),
    h('code', { 'data-secret': '' }, secret)));
}

export async function render(main) {
  const status = statusLine();
  const clients = pager(async cursor => {
    const query = new URLSearchParams({ limit: '25' });
    if (cursor) query.set('cursor', cursor);
    const answer = await call('GET', '/api/admin/oauth-clients?' + query);
    return { rows: answer.body, next: answer.headers.get('X-Next-Cursor') };
  }, rows => table('clients', [
    { label: t('clients.name'), cell: row => row.client_name },
    { label: t('clients.clientId'), cell: row => h('code', {}, row.client_id) },
    { label: t('clients.type'), cell: row => badge(row.client_type) },
    { label: t('clients.grants'), cell: row => row.grant_types.join(', ') },
    { label: t('clients.redirects'), cell: row => row.redirect_uris.join(' ') },
    { label: t('common.created'), cell: row => time(row.created_at) },
    {
      label: '', cell: row => h('span', { class: 'actions' },
        row.client_type === 'confidential' ? h('button', {
          type: 'button', class: 'secondary', 'data-action': 'rotate-secret', 'data-client': row.client_id,
          onclick: async () => {
            try {
              const rotated = await api('POST', '/api/admin/oauth-clients/' + encodeURIComponent(row.client_id)
                + '/rotate-secret');
              secretNotice(status, row.client_id, rotated.client_secret);
            } catch (error) {
              status.error(error);
            }
          },
        }, t('clients.rotate')) : null,
        h('button', {
          type: 'button', class: 'secondary', 'data-action': 'delete-client', 'data-client': row.client_id,
          onclick: async () => {
            if (!confirm(t('clients.confirmDelete'))) return;
            try {
              await api('DELETE', '/api/admin/oauth-clients/' + encodeURIComponent(row.client_id));
              status.ok(t('clients.deleted'));
              await clients.show(null);
            } catch (error) {
              status.error(error);
            }
          },
        }, t('clients.delete'))),
    },
  ], rows));

  const form = h('form', {
    class: 'card grid', 'data-form': 'create-client',
    onsubmit: async event => {
      event.preventDefault();
      const values = new FormData(form);
      const body = {
        client_name: values.get('client_name'),
        client_type: values.get('client_type'),
        redirect_uris: lines(values.get('redirect_uris')),
        post_logout_redirect_uris: lines(values.get('post_logout_redirect_uris')),
        grant_types: values.getAll('grant_types'),
        scopes: lines(values.get('scopes')),
        require_consent: values.get('require_consent') === 'on',
        backchannel_logout_uri: values.get('backchannel_logout_uri') || null,
      };
      try {
        const created = await api('POST', '/api/admin/oauth-clients', body);
        form.reset();
        await clients.show(null);
        if (created.client_secret) {
          secretNotice(status, created.client_id, created.client_secret);
        } else {
          status.ok(t('clients.created'));
        }
      } catch (error) {
        status.error(error);
      }
    },
  },
  h('h2', {}, t('clients.new')),
  field(t('clients.name'), h('input', { name: 'client_name', required: true, maxlength: 200 })),
  field(t('clients.type'), h('select', { name: 'client_type' },
    h('option', { value: 'confidential' }, t('clients.confidential')),
    h('option', { value: 'public' }, t('clients.public')))),
  field(t('clients.redirects'), h('textarea', { name: 'redirect_uris', rows: 2, placeholder: 'https://app.example.com/callback' })),
  field(t('clients.postLogout'), h('textarea', { name: 'post_logout_redirect_uris', rows: 1 })),
  h('fieldset', { class: 'field' }, h('legend', {}, t('clients.grants')),
    GRANTS.map(grant => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'grant_types', value: grant, checked: grant === 'authorization_code' }),
      ' ' + grant))),
  field(t('clients.scopes'), h('input', { name: 'scopes', value: 'openid profile email' })),
  h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'require_consent', checked: true }),
    ' ' + t('clients.requireConsent')),
  field(t('clients.backchannel'), h('input', { name: 'backchannel_logout_uri', type: 'url' })),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('clients.create'))));

  mount(main, h('section', { 'data-page': 'clients' },
    h('h1', {}, t('nav.clients')),
    status.element,
    clients.element,
    form));
  await clients.show(null);
}
