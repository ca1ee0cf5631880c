// The audit log, newest first, filtered by event type and account.

import { h, mount } from '../dom.js';
import { t, time } from '../i18n.js';
import { api } from '../api.js';
import { table, pager, formValues } from '../ui.js';

const TYPES = ['account-registered', 'login-succeeded', 'login-failed', 'account-locked', 'login-refused-locked',
  'logout', 'session-revoked', 'sessions-revoked', 'refresh-token-reuse', 'password-changed',
  'password-reset-requested', 'password-reset', 'verification-requested', 'email-changed', 'email-verified',
  'account-frozen', 'account-unfrozen', 'account-deleted', 'admin-account-deleted', 'reauthenticated',
  'reauthentication-failed', 'credential-alert-used', 'unverified-account-claimed'];
let filters = { type: '', user: '' };

export async function render(main) {
  const list = pager(async cursor => {
    const query = new URLSearchParams({ limit: '50' });
    if (filters.type) query.set('type', filters.type);
    if (filters.user) query.set('user', filters.user);
    if (cursor) query.set('cursor', cursor);
    const answer = await api('GET', '/api/admin/audit?' + query);
    return { rows: answer.data, next: answer.nextCursor };
  }, rows => table('audit', [
    { label: t('audit.when'), cell: row => time(row.occurredAt) },
    { label: t('audit.type'), cell: row => row.type },
    { label: t('audit.actor'), cell: row => row.actorId ?? '–' },
    { label: t('audit.target'), cell: row => row.targetId ?? '–' },
    { label: t('user.ip'), cell: row => row.ip || '–' },
    { label: t('audit.details'), cell: row => h('code', {}, typeof row.details === 'string' ? row.details : JSON.stringify(row.details ?? '')) },
  ], rows));

  const form = h('form', {
    class: 'inline', 'data-form': 'audit-filter',
    onsubmit: event => {
      event.preventDefault();
      filters = formValues(form);
      list.show(null);
    },
  },
  h('select', { name: 'type', 'aria-label': t('audit.type') }, h('option', { value: '' }, t('common.all')),
    TYPES.map(type => h('option', { value: type, selected: type === filters.type }, type))),
  h('input', { name: 'user', inputmode: 'numeric', pattern: '[0-9]*', placeholder: t('audit.account'), value: filters.user, 'aria-label': t('audit.account') }),
  h('button', { type: 'submit' }, t('common.search')));

  mount(main, h('section', { 'data-page': 'audit' }, h('div', { class: 'page-head' }, h('h1', {}, t('nav.audit')), form), list.element));
  await list.show(null);
}
