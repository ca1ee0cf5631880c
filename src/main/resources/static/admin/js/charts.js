// Small SVG charts: grouped bars, lines and horizontal bars. Drawn with DOM calls (no library, no inline
// script or style), so they work under the console's Content-Security-Policy.

import { s, h } from './dom.js';
import { number, t } from './i18n.js';

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 60 };

function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function frame(name, title, max, format) {
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': title, 'data-chart': name,
  }, s('title', {}, title));
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  for (let i = 0; i <= 4; i++) {
    const y = MARGIN.top + plotHeight - (plotHeight * i) / 4;
    svg.append(
      s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y, class: 'grid' }),
      s('text', { x: MARGIN.left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, format((max * i) / 4)),
    );
  }
  return svg;
}

function xLabels(svg, labels, xOf) {
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, i) => {
    if (i % every === 0) {
      svg.append(s('text', { x: xOf(i), y: HEIGHT - 8, class: 'axis', 'text-anchor': 'middle' }, label));
    }
  });
}

function legend(series) {
  return h('ul', { class: 'legend' },
    series.map((one, i) => h('li', { class: 'series-' + i }, one.name)));
}

/** Bars side by side per label: series = [{name, values}]. */
export function barChart(name, title, labels, series, format = number) {
  const max = niceMax(Math.max(0, ...series.flatMap(one => one.values)));
  const svg = frame(name, title, max, format);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(1, labels.length);
  const barWidth = Math.max(1, (slot * 0.8) / series.length);
  series.forEach((one, k) => {
    one.values.forEach((value, i) => {
      const height = (plotHeight * value) / max;
      svg.append(s('rect', {
        x: MARGIN.left + i * slot + slot * 0.1 + k * barWidth, y: MARGIN.top + plotHeight - height,
        width: barWidth, height, class: 'bar series-' + k,
      }, s('title', {}, `${labels[i]} · ${one.name}: ${format(value)}`)));
    });
  });
  xLabels(svg, labels, i => MARGIN.left + i * slot + slot / 2);
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg, legend(series));
}

/** Lines over the labels: series = [{name, values}]. */
export function lineChart(name, title, labels, series, format = number) {
  const max = niceMax(Math.max(0, ...series.flatMap(one => one.values)));
  const svg = frame(name, title, max, format);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xOf = i => MARGIN.left + (labels.length < 2 ? plotWidth / 2 : (plotWidth * i) / (labels.length - 1));
  const yOf = value => MARGIN.top + plotHeight - (plotHeight * value) / max;
  series.forEach((one, k) => {
    const points = one.values.map((value, i) => `${xOf(i).toFixed(1)},${yOf(value).toFixed(1)}`).join(' ');
    svg.append(s('polyline', { points, class: 'line series-' + k }));
    one.values.forEach((value, i) => svg.append(s('circle', { cx: xOf(i), cy: yOf(value), r: 2.5, class: 'dot series-' + k },
      s('title', {}, `${labels[i]} · ${one.name}: ${format(value)}`))));
  });
  xLabels(svg, labels, xOf);
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg, legend(series));
}

/** One horizontal bar per item: items = [{label, value}]. */
export function hbarChart(name, title, items, format = number) {
  const rowHeight = 22;
  const labelWidth = 160;
  const height = Math.max(1, items.length) * rowHeight + 8;
  const max = niceMax(Math.max(0, ...items.map(item => item.value)));
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart', role: 'img', 'aria-label': title, 'data-chart': name,
  }, s('title', {}, title));
  if (!items.length) {
    svg.append(s('text', { x: WIDTH / 2, y: 20, class: 'axis', 'text-anchor': 'middle' }, t('common.none')));
  }
  items.forEach((item, i) => {
    const y = 4 + i * rowHeight;
    const width = ((WIDTH - labelWidth - 80) * item.value) / max;
    svg.append(
      s('text', { x: labelWidth - 8, y: y + 15, class: 'axis', 'text-anchor': 'end' }, item.label),
      s('rect', { x: labelWidth, y: y + 3, width: Math.max(width, 1), height: rowHeight - 6, class: 'bar series-0' },
        s('title', {}, `${item.label}: ${format(item.value)}`)),
      s('text', { x: labelWidth + Math.max(width, 1) + 6, y: y + 15, class: 'axis' }, format(item.value)),
    );
  });
  return h('figure', { class: 'chart-box wide' }, h('figcaption', {}, title), svg);
}

// Over time with the value axis from the lowest to the highest value (prices, equity), not from zero.

function span(values) {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { low: 0, high: 1 };
  if (high === low) {
    const pad = Math.abs(high) * 0.01 || 1;
    return { low: low - pad, high: high + pad };
  }
  const pad = (high - low) * 0.05;
  return { low: low - pad, high: high + pad };
}

function timeFrame(name, title, times, low, high, format) {
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': title, 'data-chart': name,
  }, s('title', {}, title));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const first = times.length ? times[0] : 0;
  const last = times.length ? times[times.length - 1] : 1;
  const xOf = time => MARGIN.left + (last === first ? plotWidth / 2 : (plotWidth * (time - first)) / (last - first));
  const yOf = value => MARGIN.top + plotHeight - (plotHeight * (value - low)) / (high - low);
  for (let i = 0; i <= 4; i++) {
    const value = low + ((high - low) * i) / 4;
    const y = yOf(value);
    svg.append(
      s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y, class: 'grid' }),
      s('text', { x: MARGIN.left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, format(value)),
    );
  }
  if (!times.length) {
    svg.append(s('text', { x: WIDTH / 2, y: HEIGHT / 2, class: 'axis', 'text-anchor': 'middle' }, t('common.none')));
  }
  const every = Math.max(1, Math.ceil(times.length / 6));
  times.forEach((time, i) => {
    if (i % every === 0) {
      svg.append(s('text', { x: xOf(time), y: HEIGHT - 8, class: 'axis', 'text-anchor': 'middle' },
        new Date(time).toISOString().slice(5, 16).replace('T', ' ')));
    }
  });
  return { svg, xOf, yOf };
}

const price = value => Number(value.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 8 });

/** The label of a standing order's line: "Limit buy 0.0123 @ 41,200", "Stop 39,800", "Take profit 44,000". */
function orderLabel(order, format) {
  if (order.kind === 'limit') {
    const filled = Number(order.filled_quantity) > 0 ? ` (${order.filled_quantity} ${t('bot.order.filledPart')})` : '';
    return `${t('bot.order.limit.' + order.side)} ${order.quantity} @ ${format(Number(order.price))}${filled}`;
  }
  return `${t('bot.order.' + order.kind)} ${format(Number(order.level))}`;
}

/**
 * The bot's standing orders as the lines they are drawn as: a limit order at its price, a stop at its trigger,
 * a take-profit at its price, and Kapı's own stop level when no stop stands on the exchange.
 * orders = [{kind, side, price, stop_price, quantity, filled_quantity}].
 */
function orderLines(orders, stopLevel) {
  const lines = orders.map(order => ({ ...order, level: order.kind === 'stop' ? order.stop_price : order.price }));
  if (stopLevel !== null && stopLevel !== undefined && !orders.some(order => order.kind === 'stop')) {
    lines.push({ kind: 'stop_level', level: stopLevel });
  }
  return lines.filter(line => Number.isFinite(Number(line.level)));
}

/**
 * A price chart: each candle's high-low range and the line of its closes, with the trades on it as markers
 * (buys ▲ below their price, sells ▼ above it) and the bot's standing orders as dashed lines across it.
 * candles = [{open_time, high, low, close}], trades = [{side, price, executed_at, exit_reason}];
 * intervalMs: the length of the bot's candles; orders and stopLevel: as the chart answers them.
 */
export function priceChart(name, title, candles, trades, intervalMs, orders = [], stopLevel = null, format = price) {
  const times = candles.map(candle => Date.parse(candle.open_time));
  const lines = orderLines(orders, stopLevel);
  const { low, high } = span([...candles.flatMap(candle => [Number(candle.low), Number(candle.high)]),
    ...trades.map(trade => Number(trade.price)), ...lines.map(line => Number(line.level))]);
  const { svg, xOf, yOf } = timeFrame(name, title, times, low, high, format);
  candles.forEach((candle, i) => {
    svg.append(s('line', { x1: xOf(times[i]), x2: xOf(times[i]), y1: yOf(Number(candle.high)), y2: yOf(Number(candle.low)), class: 'wick' }));
  });
  if (candles.length) {
    svg.append(s('polyline', {
      points: candles.map((candle, i) => `${xOf(times[i]).toFixed(1)},${yOf(Number(candle.close)).toFixed(1)}`).join(' '),
      class: 'line series-0',
    }));
  }
  // A trade fills when its candle closes: place it at that candle's open time, the x of its candle.
  const first = times.length ? times[0] : 0;
  const last = times.length ? times[times.length - 1] : 0;
  trades.forEach(trade => {
    const x = xOf(Math.min(last, Math.max(first, Date.parse(trade.executed_at) - intervalMs)));
    const y = yOf(Number(trade.price));
    const buy = trade.side === 'buy';
    const points = buy ? [[x, y + 3], [x - 6, y + 13], [x + 6, y + 13]] : [[x, y - 3], [x - 6, y - 13], [x + 6, y - 13]];
    svg.append(s('polygon', {
      points: points.map(point => point.map(v => v.toFixed(1)).join(',')).join(' '),
      class: 'marker ' + trade.side, 'data-side': trade.side, 'data-exit-reason': trade.exit_reason || null,
    }, s('title', {}, `${trade.side} ${format(Number(trade.price))} · ${trade.executed_at}`
      + (trade.exit_reason ? ` · ${trade.exit_reason}` : ''))));
  });
  lines.forEach(line => {
    const y = yOf(Number(line.level));
    const label = orderLabel(line, format);
    svg.append(s('g', { class: 'order ' + line.kind, 'data-order-kind': line.kind, 'data-side': line.side || null },
      s('title', {}, label),
      s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y, class: 'order-line' }),
      s('text', { x: WIDTH - MARGIN.right - 4, y: y - 4, class: 'order-label', 'text-anchor': 'end' }, label)));
  });
  const kinds = [...new Set(lines.map(line => line.kind))];
  return h('figure', { class: 'chart-box wide' }, h('figcaption', {}, title), svg,
    h('ul', { class: 'legend' }, h('li', { class: 'series-0' }, t('bot.close')),
      h('li', { class: 'buy' }, t('bot.buys')), h('li', { class: 'sell' }, t('bot.sells')),
      kinds.map(kind => h('li', { class: 'order ' + kind }, t('bot.order.' + kind)))));
}

/** One line over time with its own value range: points = [{at, value}]. */
export function timeLineChart(name, title, label, points, format = price) {
  const times = points.map(point => Date.parse(point.at));
  const { low, high } = span(points.map(point => point.value));
  const { svg, xOf, yOf } = timeFrame(name, title, times, low, high, format);
  if (points.length) {
    svg.append(s('polyline', {
      points: points.map((point, i) => `${xOf(times[i]).toFixed(1)},${yOf(point.value).toFixed(1)}`).join(' '),
      class: 'line series-1',
    }));
  }
  return h('figure', { class: 'chart-box wide' }, h('figcaption', {}, title), svg,
    h('ul', { class: 'legend' }, h('li', { class: 'series-1' }, label)));
}
