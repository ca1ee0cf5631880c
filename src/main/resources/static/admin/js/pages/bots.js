// Every user's trading bots with their state and realized profit and loss.

import { h, mount } from '../dom.js';
import { t, number, time } from '../i18n.js';
import { call } from '../api.js';
import { table, pager, badge, statusSelect, statusLine } from '../ui.js';

const STATUSES = ['idle', 'in_position', 'paused', 'error'];
let statusFilter = '';

function pnl(value) {
  if (value === null || value === undefined) return '–';
  const amount = Number(value);
  return h('span', { class: amount > 0 ? 'gain' : amount < 0 ? 'loss' : null }, String(value));
}

export async function render(main) {
  const bots = pager(async cursor => {
    const query = new URLSearchParams({ limit: '25' });
    if (statusFilter) query.set('status', statusFilter);
    if (cursor) query.set('cursor', cursor);
    const answer = await call('GET', '/api/admin/trading/bots?' + query);
    return { rows: answer.body, next: answer.headers.get('X-Next-Cursor') };
  }, rows => table('bots', [
    { label: t('bots.name'), cell: row => h('a', { href: '#/bots/' + row.id, 'data-bot': row.id }, row.name) },
    { label: t('common.user'), cell: row => h('a', { href: '#/users/' + row.user_id }, row.user_id) },
    { label: t('bots.symbol'), cell: row => `${row.symbol} · ${row.interval}` },
    { label: t('bots.strategy'), cell: row => row.strategy + (row.paper ? ' (paper)' : '') },
    { label: t('common.status'), cell: row => badge(row.status) },
    { label: t('bots.trades'), cell: row => number(row.trade_count) },
    { label: t('bots.pnl'), cell: row => pnl(row.realized_pnl) },
    { label: t('bots.total'), cell: row => pnl(row.total_pnl) },
    { label: t('common.created'), cell: row => time(row.created_at) },
  ], rows));
  const filter = statusSelect(STATUSES.map(status => ({ value: status, label: status })), statusFilter, value => {
    statusFilter = value;
    bots.show(null);
  });
  const status = statusLine();
  const killSwitch = h('div', { class: 'actions', 'data-section': 'kill-switch' });
  async function showKillSwitch() {
    const state = (await call('GET', '/api/trading/kill-switch')).body;
    killSwitch.replaceChildren(state.admin_on
      ? h('button', {
        type: 'button', class: 'warning', 'data-action': 'kill-switch-release',
        onclick: async () => {
          try {
            await call('DELETE', '/api/admin/trading/kill-switch');
            status.ok(t('bots.killSwitchReleased'));
            await showKillSwitch();
          }
          catch (error) { status.error(error); }
        },
      }, t('bots.killSwitchRelease'))
      : h('button', {
        type: 'button', class: 'danger', 'data-action': 'kill-switch',
        onclick: async () => {
          if (!confirm(t('bots.killSwitchConfirm'))) return;
          try {
            const report = (await call('POST', '/api/admin/trading/kill-switch')).body;
            status.ok(t('bots.killSwitchEngaged') + ` ${report.bots_stopped} / ${report.positions_closed} / ${report.positions_pending}`);
            await showKillSwitch();
            await bots.show(null);
          }
          catch (error) { status.error(error); }
        },
      }, t('bots.killSwitch')));
  }
  mount(main, h('section', { 'data-page': 'bots' }, h('div', { class: 'page-head' }, h('h1', {}, t('nav.bots')), filter, killSwitch),
    status.element, bots.element));
  await Promise.all([bots.show(null), showKillSwitch()]);
}
