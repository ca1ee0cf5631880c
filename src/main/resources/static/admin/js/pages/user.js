// One user: edit, deactivate, delete, load credits, the ledger, second factors (remove them), sessions (end them)
// and packages.

import { h, mount } from '../dom.js';
import { t, number, time } from '../i18n.js';
import { api } from '../api.js';
import { table, field, statusLine, badge, formValues } from '../ui.js';
import { USER_TYPES } from './users.js';

// The user's page; message, when given, says what the action that led here did.
export async function render(main, userId, message) {
  const base = '/api/admin/users/' + userId;
  const status = statusLine();
  if (message) status.ok(message);
  const { data: user } = await api('GET', base);

  const reload = message => render(main, userId, message);
  const act = action => async event => {
    event?.preventDefault();
    try {
      await action();
    } catch (error) {
      status.error(error);
    }
  };

  const edit = h('form', {
    class: 'card grid', 'data-form': 'edit-user',
    onsubmit: act(async () => {
      const values = formValues(edit);
      const changes = { name: values.name, surname: values.surname, email: values.email, userTypeName: values.userTypeName };
      if (values.phoneNumber) changes.phoneNumber = values.phoneNumber;
      await api('PUT', base, changes);
      await reload(t('common.saved'));
    }),
  },
  h('h2', {}, t('user.edit')),
  field(t('users.name'), h('input', { name: 'name', value: user.name, required: true })),
  field(t('users.surname'), h('input', { name: 'surname', value: user.surname, required: true })),
  field(t('users.email'), h('input', { name: 'email', type: 'email', value: user.email, required: true })),
  field(t('users.type'), h('select', { name: 'userTypeName' },
    USER_TYPES.map(type => h('option', { value: type, selected: type === user.userType.name }, type)))),
  field(t('users.phone'), h('input', { name: 'phoneNumber', value: user.phoneNumber || '' })),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('common.save'))));

  const credits = h('form', {
    class: 'card grid', 'data-form': 'load-credits',
    onsubmit: act(async () => {
      const values = formValues(credits);
      const body = { amount: Number(values.amount) };
      if (values.note) body.note = values.note;
      await api('POST', base + '/credits', body);
      await reload(t('user.loaded'));
    }),
  },
  h('h2', {}, t('user.loadCredits')),
  field(t('user.amount'), h('input', { name: 'amount', type: 'number', min: 1, step: 1, required: true })),
  field(t('user.note'), h('input', { name: 'note', maxlength: 500 })),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('user.load'))));

  const [factors, ledger, sessions, packages, catalogue] = await Promise.all([
    api('GET', base + '/mfa').then(answer => answer.data),
    api('GET', base + '/credits?limit=50'),
    api('GET', base + '/sessions'),
    api('GET', base + '/packages'),
    api('GET', '/api/admin/packages'),
  ]);

  const give = h('form', {
    class: 'inline', 'data-form': 'give-package',
    onsubmit: act(async () => {
      await api('POST', base + '/packages', { packageId: Number(formValues(give).packageId) });
      await reload(t('user.packageGiven'));
    }),
  },
  h('select', { name: 'packageId', required: true, 'aria-label': t('user.package') },
    catalogue.data.map(pkg => h('option', { value: pkg.id }, `${pkg.name} · ${pkg.days} ${t('user.days')}`))),
  h('button', { type: 'submit', disabled: !catalogue.data.length }, t('user.give')));

  mount(main, h('section', { 'data-page': 'user', 'data-user-id': user.userId },
    h('p', {}, h('a', { href: '#/users' }, t('common.back'))),
    h('div', { class: 'page-head' },
      h('h1', {}, `${user.name} ${user.surname}`, ' ', h('small', {}, '@' + user.username)),
      badge(user.isActive ? t('users.active') : t('common.no'), user.isActive ? 'active' : 'inactive'),
      h('div', { class: 'actions' },
        user.isActive ? h('button', {
          type: 'button', class: 'warning', 'data-action': 'deactivate',
          onclick: act(async () => {
            if (!confirm(t('user.confirmDeactivate'))) return;
            await api('DELETE', base, {});
            await reload(t('user.deactivated'));
          }),
        }, t('user.deactivate')) : null,
        h('button', {
          type: 'button', class: 'danger', 'data-action': 'delete',
          onclick: act(async () => {
            if (!confirm(t('user.confirmDelete'))) return;
            await api('DELETE', base, { permanently: true });
            location.hash = '#/users';
          }),
        }, t('user.delete')))),
    status.element,
    h('div', { class: 'figures' },
      h('div', { class: 'card figure', 'data-figure': 'credit' }, h('span', { class: 'label' }, t('users.credit')), h('strong', {}, number(user.credit))),
      h('div', { class: 'card figure', 'data-figure': 'debit' }, h('span', { class: 'label' }, t('users.debit')), h('strong', {}, number(user.debit))),
      h('div', { class: 'card figure' }, h('span', { class: 'label' }, t('users.email')), h('strong', {}, user.email))),
    h('div', { class: 'columns two' }, edit, credits),
    h('h2', {}, t('user.factors')),
    h('div', { class: 'card grid', 'data-section': 'factors' },
      h('p', {}, t('user.totp'), ': ', badge(factors.totp ? t('common.yes') : t('common.no'), factors.totp ? 'active' : 'inactive'),
        factors.required ? ' ' : null, factors.required ? badge(t('user.factorRequired'), 'inactive') : null),
      h('p', {}, t('user.recoveryLeft'), ': ', h('strong', { 'data-figure': 'recovery-codes-left' }, number(factors.recovery_codes_left))),
      h('p', {}, t('user.passkeys'), ': ', h('strong', { 'data-figure': 'passkeys' }, factors.passkeys.map(passkey => passkey.label).join(', ') || '–')),
      factors.methods.length ? h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'warning', 'data-action': 'remove-factors',
        onclick: act(async () => {
          if (!confirm(t('user.confirmRemoveFactors'))) return;
          await api('DELETE', base + '/mfa');
          await reload(t('user.factorsRemoved'));
        }),
      }, t('user.removeFactors'))) : null),
    h('h2', {}, t('user.sessions')),
    table('sessions', [
      { label: t('common.created'), cell: row => time(row.createdAt) },
      { label: t('user.lastUsed'), cell: row => time(row.lastUsedAt) },
      { label: t('user.expires'), cell: row => time(row.expiresAt) },
      { label: t('user.ip'), cell: row => row.ip || '–' },
      { label: t('user.agent'), cell: row => row.userAgent || '–' },
      {
        label: '', cell: row => h('button', {
          type: 'button', class: 'secondary', 'data-action': 'end-session',
          onclick: act(async () => {
            await api('DELETE', `${base}/sessions/${row.id}`);
            await reload();
          }),
        }, t('user.end')),
      },
    ], sessions.data),
    h('h2', {}, t('user.packages')),
    table('packages', [
      { label: t('user.package'), cell: row => row.packageName },
      { label: t('common.status'), cell: row => badge(row.active ? t('users.active') : t('common.no'), row.active ? 'active' : 'inactive') },
      { label: t('user.startsAt'), cell: row => time(row.startsAt) },
      { label: t('user.validUntil'), cell: row => time(row.endsAt) },
      { label: t('user.contents'), cell: row => row.contents.map(content => content.contentValue).join(', ') },
      {
        label: '', cell: row => h('button', {
          type: 'button', class: 'secondary', 'data-action': 'remove-package',
          onclick: act(async () => {
            await api('DELETE', `${base}/packages/${row.id}`);
            await reload();
          }),
        }, t('user.remove')),
      },
    ], packages.data),
    give,
    h('h2', {}, t('user.ledger')),
    table('ledger', [
      { label: t('audit.when'), cell: row => time(row.createdAt) },
      { label: t('user.kind'), cell: row => row.kind },
      { label: t('user.amount'), cell: row => number(row.amount) },
      { label: t('user.reason'), cell: row => row.reason || '–' },
      { label: t('user.note'), cell: row => row.note || '–' },
    ], ledger.data)));
}
