// Every user's message queues, newest first, with their progress.

import { h, mount } from '../dom.js';
import { t, number, percent, time } from '../i18n.js';
import { call } from '../api.js';
import { table, pager, badge, statusSelect } from '../ui.js';

const STATUSES = ['created', 'scheduled', 'running', 'paused', 'cancelled', 'completed'];
let statusFilter = '';

function progress(row) {
  return h('span', { class: 'progress' }, h('progress', { max: 1, value: row.progress ?? 0 }),
    ' ' + percent(row.progress ?? 0));
}

export async function render(main) {
  const queues = pager(async cursor => {
    const query = new URLSearchParams({ limit: '25' });
    if (statusFilter) query.set('status', statusFilter);
    if (cursor) query.set('cursor', cursor);
    const answer = await call('GET', '/api/admin/messaging/queues?' + query);
    return { rows: answer.body, next: answer.headers.get('X-Next-Cursor') };
  }, rows => table('queues', [
    { label: t('queues.name'), cell: row => row.name },
    { label: t('common.user'), cell: row => h('a', { href: '#/users/' + row.user_id }, row.user_id) },
    { label: t('common.status'), cell: row => badge(row.status) },
    { label: t('queues.progress'), cell: progress },
    { label: t('queues.total'), cell: row => number(row.total) },
    { label: t('queues.sent'), cell: row => number(row.counts.sent + row.counts.delivered + row.counts.read) },
    { label: t('queues.failed'), cell: row => number(row.counts.failed) },
    { label: t('common.created'), cell: row => time(row.created_at) },
  ], rows));
  const filter = statusSelect(STATUSES.map(status => ({ value: status, label: status })), statusFilter, value => {
    statusFilter = value;
    queues.show(null);
  });
  mount(main, h('section', { 'data-page': 'queues' }, h('div', { class: 'page-head' }, h('h1', {}, t('nav.queues')), filter),
    queues.element));
  await queues.show(null);
}
