// Users: search, filter by type, keyset paging and creation, over seed 004's /api/admin/users.

import { h, mount } from '../dom.js';
import { t, number } from '../i18n.js';
import { api } from '../api.js';
import { table, field, pager, statusLine, badge, formValues } from '../ui.js';

export const USER_TYPES = ['admin', 'editor', 'viewer', 'user'];
let filters = { search: '', userType: '' };

function typeSelect(name, selected, withAll) {
  return h('select', { name },
    withAll ? h('option', { value: '' }, t('common.all')) : null,
    USER_TYPES.map(type => h('option', { value: type, selected: type === selected }, type)));
}

function createForm(status) {
  const form = h('form', {
    class: 'card grid', 'data-form': 'create-user', hidden: true,
    onsubmit: async event => {
      event.preventDefault();
      const values = formValues(form);
      if (!values.phoneNumber) delete values.phoneNumber;
      try {
        const answer = await api('POST', '/api/admin/users', values);
        status.ok(t('users.created'));
        location.hash = '#/users/' + answer.data.userId;
      } catch (error) {
        status.error(error);
      }
    },
  },
  field(t('users.username'), h('input', { name: 'username', required: true })),
  field(t('users.password'), h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true })),
  field(t('users.name'), h('input', { name: 'name', required: true })),
  field(t('users.surname'), h('input', { name: 'surname', required: true })),
  field(t('users.email'), h('input', { name: 'email', type: 'email', required: true })),
  field(t('users.type'), typeSelect('userTypeName', 'user', false)),
  field(t('users.phone'), h('input', { name: 'phoneNumber' })),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('users.create'))));
  return form;
}

export async function render(main) {
  const status = statusLine();
  const list = pager(async cursor => {
    const query = new URLSearchParams({ limit: '25' });
    if (filters.search) query.set('search', filters.search);
    if (filters.userType) query.set('userType', filters.userType);
    if (cursor) query.set('cursor', cursor);
    const answer = await api('GET', '/api/admin/users?' + query);
    return { rows: answer.data, next: answer.nextCursor };
  }, rows => table('users', [
    { label: t('users.username'), cell: row => h('a', { href: '#/users/' + row.userId, 'data-user': row.username }, row.username) },
    { label: t('users.name'), cell: row => `${row.name} ${row.surname}` },
    { label: t('users.email'), cell: row => row.email },
    { label: t('users.type'), cell: row => row.userType.name },
    { label: t('users.active'), cell: row => badge(row.isActive ? t('common.yes') : t('common.no'), row.isActive ? 'active' : 'inactive') },
    { label: t('users.credit'), cell: row => number(row.credit) },
    { label: t('users.debit'), cell: row => number(row.debit) },
  ], rows));

  const create = createForm(status);
  const search = h('form', {
    class: 'inline', 'data-form': 'user-search',
    onsubmit: event => {
      event.preventDefault();
      filters = formValues(search);
      list.show(null);
    },
  },
  h('input', { name: 'search', type: 'search', placeholder: t('users.search'), value: filters.search, 'aria-label': t('users.search') }),
  typeSelect('userType', filters.userType, true),
  h('button', { type: 'submit' }, t('common.search')));

  mount(main, h('section', { 'data-page': 'users' },
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.users')), search,
      h('button', { type: 'button', class: 'secondary', 'data-action': 'new-user', onclick: () => { create.hidden = !create.hidden; } },
        t('users.new'))),
    status.element, create, list.element));
  await list.show(null);
}
