// Seed 001's admin dashboard: who is active, sign-ups and logins, this instance's traffic, usage per user
// and the state of queues, bots and requests — from GET /api/admin/dashboard.

import { h, mount } from '../dom.js';
import { t, number, percent } from '../i18n.js';
import { api } from '../api.js';
import { barChart, lineChart, hbarChart } from '../charts.js';
import { table, field, statusLine } from '../ui.js';

let range = null;

function card(name, label, value) {
  return h('div', { class: 'card figure', 'data-figure': name }, h('span', { class: 'label' }, label),
    h('strong', {}, value));
}

function countsTable(name, counts) {
  const rows = Object.entries(counts || {});
  return table(name, [
    { label: t('common.status'), cell: row => row[0] },
    { label: '#', cell: row => number(row[1]) },
  ], rows);
}

export async function render(main) {
  const query = range ? `?from=${range.from}&to=${range.to}` : '';
  const { data } = await api('GET', '/api/admin/dashboard' + query);
  const status = statusLine();
  const form = h('form', {
    class: 'inline', onsubmit: event => {
      event.preventDefault();
      const values = new FormData(form);
      range = { from: values.get('from'), to: values.get('to') };
      render(main).catch(error => status.error(error));
    },
  },
  field('', h('input', { type: 'date', name: 'from', value: data.from, required: true })),
  field('', h('input', { type: 'date', name: 'to', value: data.to, required: true })),
  h('button', { type: 'submit' }, t('dash.apply')));

  const days = data.users.days;
  const minutes = data.traffic.perMinute;
  const minuteLabels = minutes.map(minute => minute.minute.slice(11, 16));
  const lastHour = minutes.reduce((sum, minute) => sum + minute.requests, 0);
  const lastHourErrors = minutes.reduce((sum, minute) => sum + minute.serverErrors, 0);

  mount(main,
    h('section', { 'data-page': 'dashboard' },
      h('div', { class: 'page-head' }, h('h1', {}, t('nav.dashboard')), form),
      status.element,
      h('div', { class: 'figures' },
        card('active-now', t('dash.activeNow'), number(data.users.activeNow)),
        card('sign-ups', t('dash.signUps'), number(days.reduce((sum, day) => sum + day.signUps, 0))),
        card('logins', t('dash.logins'), number(days.reduce((sum, day) => sum + day.logins, 0))),
        card('requests', t('dash.requests'), number(lastHour)),
        card('error-rate', t('dash.errorRate'), percent(lastHour ? lastHourErrors / lastHour : 0))),
      h('div', { class: 'charts' },
        barChart('per-day', t('dash.perDay'), days.map(day => day.date.slice(5)), [
          { name: t('dash.signUps'), values: days.map(day => day.signUps) },
          { name: t('dash.logins'), values: days.map(day => day.logins) },
        ]),
        lineChart('per-minute', t('dash.perMinute'), minuteLabels, [
          { name: t('dash.requests'), values: minutes.map(minute => minute.requests) },
        ]),
        lineChart('error-rate', t('dash.errorsPerMinute'), minuteLabels, [
          { name: '5xx', values: minutes.map(minute => minute.errorRate) },
        ], percent),
        hbarChart('usage', t('dash.usage'), data.usage.slice(0, 15).map(usage => ({
          label: usage.name || usage.userId, value: usage.creditsSpent,
        })))),
      h('p', { class: 'hint' }, t('dash.instance')),
      h('h2', {}, t('dash.usage')),
      table('usage', [
        { label: t('common.user'), cell: row => h('a', { href: '#/users/' + row.userId }, row.name || row.userId) },
        { label: t('dash.credits'), cell: row => number(row.creditsSpent) },
        { label: t('dash.messages'), cell: row => number(row.messagesSent) },
        { label: t('dash.activeBots'), cell: row => number(row.activeBots) },
      ], data.usage),
      h('h2', {}, t('dash.counts')),
      h('div', { class: 'columns' },
        h('div', {}, h('h3', {}, t('dash.queues')), countsTable('queue-counts', data.counts.queues)),
        h('div', {}, h('h3', {}, t('dash.bots')), countsTable('bot-counts', data.counts.bots)),
        h('div', {}, h('h3', {}, t('dash.inbox')), countsTable('request-counts', data.counts.requests))),
      h('h2', {}, t('dash.endpoints')),
      table('endpoints', [
        { label: t('dash.method'), cell: row => row.method },
        { label: t('dash.uri'), cell: row => row.uri },
        { label: '#', cell: row => number(row.requests) },
        { label: t('dash.clientErrors'), cell: row => percent(row.clientErrorRate) },
        { label: t('dash.serverErrors'), cell: row => percent(row.errorRate) },
        { label: t('dash.meanMillis'), cell: row => row.meanMillis.toFixed(1) },
      ], data.traffic.endpoints.slice(0, 20))));
}
