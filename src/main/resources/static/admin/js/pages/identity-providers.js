// External identity providers (sign in with Google, Microsoft, GitHub or any OpenID provider): list, add from a
// preset or an issuer, edit, enable or disable, delete. The client secret is written, never read back.

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { table, field, statusLine, badge } from '../ui.js';

const PRESETS = ['google', 'microsoft', 'github', 'oidc'];

function words(text) {
  return String(text || '').split(/[\s,]+/).map(word => word.trim()).filter(word => word);
}

function yesNo(value) {
  return value ? t('common.yes') : t('common.no');
}

function path(alias) {
  return '/api/admin/identity-providers' + (alias ? '/' + encodeURIComponent(alias) : '');
}

/** What PUT needs to keep a provider as it is (the secret stays when left out). */
function asStored(row) {
  return {
    type: row.type,
    display_name: row.display_name,
    issuer_uri: row.type === 'oidc' ? row.issuer_uri : null,
    client_id: row.client_id,
    scopes: row.scopes,
    enabled: row.enabled,
    link_by_verified_email: row.link_by_verified_email,
    allowed_email_domains: row.allowed_email_domains || [],
    trust_provider_mfa: row.trust_provider_mfa,
  };
}

export async function render(main) {
  const status = statusLine();
  const list = h('div', { class: 'paged' });
  let editing = null;

  async function show() {
    list.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
    try {
      draw(await api('GET', path()));
    } catch (error) {
      list.replaceChildren();
      status.error(error);
    }
  }

  async function change(action, done) {
    try {
      await action();
      status.ok(done);
      await show();
    } catch (error) {
      status.error(error);
    }
  }

  function draw(rows) {
    list.replaceChildren(table('identity-providers', [
      { label: t('idp.alias'), cell: row => h('code', {}, row.alias) },
      { label: t('idp.type'), cell: row => badge(row.type) },
      { label: t('idp.displayName'), cell: row => row.display_name },
      { label: t('idp.enabled'), cell: row => h('span', { 'data-enabled': String(row.enabled) }, yesNo(row.enabled)) },
      { label: t('idp.linkByVerifiedEmail'), cell: row => yesNo(row.link_by_verified_email) },
      { label: t('idp.trustProviderMfa'), cell: row => yesNo(row.trust_provider_mfa) },
      {
        label: '', cell: row => h('span', { class: 'actions' },
          h('button', {
            type: 'button', class: 'secondary', 'data-action': 'edit-provider', 'data-alias': row.alias,
            onclick: () => edit(row),
          }, t('idp.edit')),
          h('button', {
            type: 'button', class: 'secondary', 'data-action': row.enabled ? 'disable-provider' : 'enable-provider',
            'data-alias': row.alias,
            onclick: () => change(() => api('PUT', path(row.alias), { ...asStored(row), enabled: !row.enabled }),
              row.enabled ? t('idp.disabled') : t('idp.enabledNow')),
          }, row.enabled ? t('idp.disable') : t('idp.enable')),
          h('button', {
            type: 'button', class: 'secondary', 'data-action': 'delete-provider', 'data-alias': row.alias,
            onclick: () => {
              if (!confirm(t('idp.confirmDelete'))) return;
              change(() => api('DELETE', path(row.alias)), t('idp.deleted'));
            },
          }, t('idp.delete'))),
      },
    ], rows));
  }

  const input = (name, attrs = {}) => h('input', { name, ...attrs });
  const preset = h('select', { name: 'preset', onchange: () => shape() },
    PRESETS.map(value => h('option', { value }, t('idp.preset.' + value))));
  const presetField = field(t('idp.preset'), preset);
  const alias = input('alias', { required: true, maxlength: 40, pattern: '[a-z0-9][a-z0-9\\-]{0,39}', placeholder: 'google' });
  const tenantField = field(t('idp.tenant'), input('tenant', { maxlength: 100, placeholder: 'contoso.onmicrosoft.com' }));
  const issuerField = field(t('idp.issuer'), input('issuer_uri', { type: 'url', maxlength: 2000, placeholder: 'https://id.example.com' }));
  const secret = input('client_secret', { type: 'password', autocomplete: 'new-password', maxlength: 2000 });
  const secretHelp = h('small', { class: 'help', 'data-help': 'client_secret' });
  const title = h('h2', {});
  const submit = h('button', { type: 'submit' });
  const cancel = h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-edit', onclick: () => reset() },
    t('common.cancel'));

  // The fields a kind of provider needs: a tenant for Microsoft, an issuer for a generic OpenID provider.
  function shape() {
    const kind = preset.value;
    tenantField.hidden = editing !== null || kind !== 'microsoft';
    issuerField.hidden = !(kind === 'oidc' || (editing !== null && editing.type === 'oidc'));
    presetField.hidden = editing !== null;
  }

  function reset() {
    editing = null;
    delete form.dataset.editing;
    form.reset();
    alias.readOnly = false;
    secret.required = true;
    title.textContent = t('idp.new');
    submit.textContent = t('idp.create');
    secretHelp.textContent = t('idp.secretWriteOnly');
    cancel.hidden = true;
    shape();
  }

  function edit(row) {
    form.reset();
    editing = row;
    form.dataset.editing = row.alias;
    alias.value = row.alias;
    alias.readOnly = true;
    form.elements.display_name.value = row.display_name;
    form.elements.issuer_uri.value = row.issuer_uri || '';
    form.elements.client_id.value = row.client_id;
    form.elements.scopes.value = (row.scopes || []).join(' ');
    form.elements.allowed_email_domains.value = (row.allowed_email_domains || []).join(' ');
    form.elements.enabled.checked = row.enabled;
    form.elements.link_by_verified_email.checked = row.link_by_verified_email;
    form.elements.trust_provider_mfa.checked = row.trust_provider_mfa;
    secret.required = false;
    title.textContent = t('idp.editTitle') + ' ' + row.alias;
    submit.textContent = t('common.save');
    secretHelp.textContent = t('idp.secretKeep');
    cancel.hidden = false;
    shape();
    form.scrollIntoView();
  }

  const form = h('form', {
    class: 'card grid', 'data-form': 'identity-provider',
    onsubmit: async event => {
      event.preventDefault();
      const values = new FormData(form);
      const body = {
        display_name: values.get('display_name') || null,
        client_id: values.get('client_id'),
        client_secret: values.get('client_secret') || null,
        scopes: words(values.get('scopes')),
        enabled: values.get('enabled') === 'on',
        link_by_verified_email: values.get('link_by_verified_email') === 'on',
        allowed_email_domains: words(values.get('allowed_email_domains')),
        trust_provider_mfa: values.get('trust_provider_mfa') === 'on',
      };
      try {
        if (editing) {
          body.type = editing.type;
          body.issuer_uri = editing.type === 'oidc' ? values.get('issuer_uri') : null;
          await api('PUT', path(editing.alias), body);
          status.ok(t('common.saved'));
        } else {
          body.alias = values.get('alias');
          if (preset.value === 'oidc') {
            body.type = 'oidc';
            body.issuer_uri = values.get('issuer_uri');
          } else {
            body.preset = preset.value;
            if (preset.value === 'microsoft') body.tenant = values.get('tenant');
          }
          await api('POST', path(), body);
          status.ok(t('idp.created'));
        }
        reset();
        await show();
      } catch (error) {
        status.error(error);
      }
    },
  },
  title,
  presetField,
  field(t('idp.alias'), alias),
  tenantField,
  issuerField,
  field(t('idp.displayName'), input('display_name', { maxlength: 100, placeholder: t('idp.displayNameHelp') })),
  field(t('idp.clientId'), input('client_id', { required: true, maxlength: 500 })),
  h('label', { class: 'field' }, h('span', {}, t('idp.clientSecret')), secret, secretHelp),
  field(t('idp.scopes'), input('scopes', { maxlength: 2000, placeholder: t('idp.scopesHelp') })),
  field(t('idp.domains'), input('allowed_email_domains', { maxlength: 2000, placeholder: 'example.com' })),
  h('label', { class: 'check' }, input('enabled', { type: 'checkbox', checked: true }), ' ' + t('idp.enabled')),
  h('label', { class: 'check' }, input('link_by_verified_email', { type: 'checkbox' }), ' ' + t('idp.linkByVerifiedEmail')),
  h('label', { class: 'check' }, input('trust_provider_mfa', { type: 'checkbox' }), ' ' + t('idp.trustProviderMfa')),
  h('div', { class: 'actions' }, submit, cancel));

  reset();
  mount(main, h('section', { 'data-page': 'identity-providers' },
    h('h1', {}, t('nav.identityProviders')),
    status.element,
    list,
    form));
  await show();
}
