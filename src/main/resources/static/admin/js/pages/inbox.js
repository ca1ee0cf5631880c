// Seed 001's request inbox: every user's requests, read, answer and close.

import { h, mount } from '../dom.js';
import { t, time } from '../i18n.js';
import { api } from '../api.js';
import { table, pager, statusLine, badge, field, formValues, statusSelect } from '../ui.js';

const STATUS = { open: 'inbox.open', answered: 'inbox.statusAnswered', closed: 'inbox.statusClosed' };
let statusFilter = 'open';

function statusBadge(status) {
  return badge(t(STATUS[status] || status), status);
}

async function list(main) {
  const requests = pager(async cursor => {
    const query = new URLSearchParams({ limit: '25' });
    if (statusFilter) query.set('status', statusFilter);
    if (cursor) query.set('cursor', cursor);
    const answer = await api('GET', '/api/admin/support/requests?' + query);
    return { rows: answer.data, next: answer.nextCursor };
  }, rows => table('requests', [
    { label: t('inbox.subject'), cell: row => h('a', { href: '#/inbox/' + row.id, 'data-request': row.id }, row.subject) },
    { label: t('common.user'), cell: row => h('a', { href: '#/users/' + row.userId }, row.userId) },
    { label: t('common.status'), cell: row => statusBadge(row.status) },
    { label: t('common.created'), cell: row => time(row.createdAt) },
  ], rows));
  const filter = statusSelect(Object.keys(STATUS).map(status => ({ value: status, label: t(STATUS[status]) })),
    statusFilter, value => {
      statusFilter = value;
      requests.show(null);
    });
  mount(main, h('section', { 'data-page': 'inbox' }, h('div', { class: 'page-head' }, h('h1', {}, t('nav.inbox')), filter),
    requests.element));
  await requests.show(null);
}

async function detail(main, id, message) {
  const base = '/api/admin/support/requests/' + id;
  const { data: request } = await api('GET', base);
  const status = statusLine();
  if (message) status.ok(message);
  const answer = h('form', {
    class: 'card', 'data-form': 'answer',
    onsubmit: async event => {
      event.preventDefault();
      try {
        await api('POST', base + '/answers', { body: formValues(answer).body });
        await detail(main, id, t('inbox.answered'));
      } catch (error) {
        status.error(error);
      }
    },
  },
  field(t('inbox.answer'), h('textarea', { name: 'body', rows: 5, required: true, maxlength: 10000 })),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('inbox.send'))));
  const close = h('button', {
    type: 'button', class: 'secondary', 'data-action': 'close-request',
    onclick: async () => {
      try {
        await api('POST', base + '/close', {});
        await detail(main, id, t('inbox.closed'));
      } catch (error) {
        status.error(error);
      }
    },
  }, t('inbox.close'));
  mount(main, h('section', { 'data-page': 'request', 'data-status': request.status },
    h('p', {}, h('a', { href: '#/inbox' }, t('common.back'))),
    h('div', { class: 'page-head' }, h('h1', {}, request.subject), statusBadge(request.status),
      request.status === 'closed' ? null : close),
    status.element,
    h('p', { class: 'meta' }, h('a', { href: '#/users/' + request.userId }, request.userId), ' · ', time(request.createdAt)),
    h('blockquote', { class: 'card request-body' }, request.body),
    h('h2', {}, t('inbox.answers')),
    request.answers.length
      ? h('ol', { class: 'answers' }, request.answers.map(one => h('li', { class: 'card' }, h('p', {}, one.body),
        h('small', {}, time(one.createdAt)))))
      : h('p', { class: 'empty' }, t('common.none')),
    request.status === 'closed' ? null : answer));
}

export async function render(main, id) {
  if (id) await detail(main, id);
  else await list(main);
}
