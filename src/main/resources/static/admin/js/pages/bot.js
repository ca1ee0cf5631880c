// One trading bot: its price chart with its trades as buy and sell markers and its standing orders (resting limit
// orders, the stop and take-profit on the exchange, Kapı's own stop level) as dashed lines, its equity curve, its
// orders and its trades, from GET /api/admin/trading/bots/{id}/chart.

import { h, mount } from '../dom.js';
import { t, number, time } from '../i18n.js';
import { api } from '../api.js';
import { priceChart, timeLineChart } from '../charts.js';
import { table, badge } from '../ui.js';

const UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function intervalMs(code) {
  const match = /^(\d+)([mhd])$/.exec(code || '');
  return match ? Number(match[1]) * UNITS[match[2]] : 60_000;
}

function card(name, label, value) {
  return h('div', { class: 'card figure', 'data-figure': name }, h('span', { class: 'label' }, label),
    h('strong', {}, value));
}

function pnl(value) {
  if (value === null || value === undefined) return '–';
  const amount = Number(value);
  return h('span', { class: amount > 0 ? 'gain' : amount < 0 ? 'loss' : null }, String(value));
}

export async function render(main, id) {
  const chart = await api('GET', `/api/admin/trading/bots/${id}/chart?points=500`);
  const equity = chart.equity_curve.map(point => ({ at: point.at, value: Number(point.equity) }));
  const lastEquity = equity.length ? equity[equity.length - 1].value : Number(chart.starting_balance);
  const change = lastEquity / Number(chart.starting_balance) - 1;
  const trades = [...chart.trades].reverse();
  mount(main, h('section', { 'data-page': 'bot', 'data-bot-id': chart.bot_id },
    h('p', {}, h('a', { href: '#/bots' }, t('common.back'))),
    h('div', { class: 'page-head' },
      h('h1', {}, chart.name, ' ', h('small', {}, `${chart.symbol} · ${chart.interval}${chart.paper ? ' · paper' : ''}`)),
      badge(chart.status)),
    h('p', { 'data-feed': chart.price_feed }, `${chart.exchange} · ${t('bot.feed.' + chart.price_feed)}`),
    chart.price_feed === 'generated' ? h('p', { class: 'notice', role: 'note' }, t('bot.feedGenerated')) : null,
    chart.candles_unavailable ? h('p', { class: 'notice error', role: 'alert' }, t('bot.candlesUnavailable')) : null,
    h('div', { class: 'figures' },
      card('trades', t('bots.trades'), number(chart.trades.length)),
      card('equity', t('bot.equity'), number(Math.round(lastEquity * 100) / 100)),
      card('return', t('bot.return'), h('span', { class: change > 0 ? 'gain' : change < 0 ? 'loss' : null },
        (change * 100).toFixed(2) + ' %')),
      h('div', { class: 'card figure', 'data-figure': 'window' }, h('span', { class: 'label' }, t('bot.window')),
        h('strong', { class: 'small' }, chart.from ? `${time(chart.from)} – ${time(chart.to)}` : '–'))),
    h('div', { class: 'charts' },
      priceChart('price', t('bot.price'), chart.candles, chart.trades, intervalMs(chart.interval), chart.orders,
        chart.stop_level),
      timeLineChart('equity', t('bot.equityCurve'), t('bot.equity'), equity)),
    h('h2', {}, t('bot.orders')),
    table('orders', [
      { label: t('bot.orderKind'), cell: row => h('span', { 'data-order-kind': row.kind }, t('bot.order.' + row.kind)) },
      { label: t('bot.side'), cell: row => badge(row.side, row.side === 'buy' ? 'active' : 'inactive') },
      { label: t('bot.priceColumn'), cell: row => row.price },
      { label: t('bot.stopPrice'), cell: row => row.stop_price ?? '–' },
      { label: t('bot.quantity'), cell: row => row.quantity },
      { label: t('bot.filled'), cell: row => row.filled_quantity },
      { label: t('bot.orderStatus'), cell: row => badge(t('bot.order.status.' + row.status), row.status) },
      { label: t('bot.placedAt'), cell: row => time(row.placed_at) },
      { label: t('bot.clientOrderId'), cell: row => h('code', {}, row.client_order_id) },
    ], chart.orders),
    h('h2', {}, t('bots.trades')),
    table('trades', [
      { label: t('audit.when'), cell: row => time(row.executed_at) },
      { label: t('bot.side'), cell: row => badge(row.side, row.side === 'buy' ? 'active' : 'inactive') },
      { label: t('bot.priceColumn'), cell: row => row.price },
      { label: t('bot.quantity'), cell: row => row.quantity },
      { label: t('bot.fee'), cell: row => row.fee },
      { label: t('bots.pnl'), cell: row => (row.side === 'sell' ? pnl(row.realized_pnl) : '–') },
      { label: t('bot.exitReason'), cell: row => row.exit_reason || '–' },
    ], trades)));
}
