// Pieces every page uses: tables, forms, notices and a cursor pager.

import { h, mount } from './dom.js';
import { t } from './i18n.js';

/** columns = [{label, cell: row => node|string}] */
export function table(name, columns, rows) {
  if (!rows.length) return h('p', { class: 'empty', 'data-table': name }, t('common.none'));
  return h('table', { class: 'data', 'data-table': name },
    h('thead', {}, h('tr', {}, columns.map(column => h('th', {}, column.label)))),
    h('tbody', {}, rows.map(row => h('tr', {}, columns.map(column => h('td', {}, column.cell(row)))))));
}

export function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

export function notice(text, kind = 'ok') {
  return h('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A message box that shows the outcome of the last action on a page. */
export function statusLine() {
  const element = h('div', { class: 'status-line' });
  return {
    element,
    ok(text) {
      element.replaceChildren(notice(text, 'ok'));
    },
    error(error) {
      element.replaceChildren(notice(error?.message || String(error), 'error'));
    },
    clear() {
      element.replaceChildren();
    },
  };
}

/**
 * Keyset paging: load(cursor) returns {rows, next}; the pager shows the rows through draw(rows) and
 * offers "next page" while there is one, and "first page" once past it.
 */
export function pager(load, draw) {
  const body = h('div', { class: 'paged' });
  const controls = h('div', { class: 'pager' });
  const status = statusLine();
  async function show(cursor) {
    body.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
    try {
      const { rows, next } = await load(cursor);
      body.replaceChildren(draw(rows));
      mount(controls,
        cursor ? h('button', { type: 'button', class: 'secondary', onclick: () => show(null) }, t('common.first')) : null,
        next ? h('button', { type: 'button', class: 'secondary', 'data-action': 'next-page', onclick: () => show(next) },
          t('common.next')) : null);
      status.clear();
    } catch (error) {
      body.replaceChildren();
      status.error(error);
    }
  }
  return { element: h('div', {}, status.element, body, controls), show };
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + (kind || text) }, text);
}

export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** A status filter: '' means all; statuses = [{value, label}]; onChange(value) on every choice. */
export function statusSelect(statuses, selected, onChange) {
  const select = h('select', { name: 'status', 'aria-label': t('common.status'), onchange: () => onChange(select.value) },
    h('option', { value: '', selected: !selected }, t('common.all')),
    statuses.map(status => h('option', { value: status.value, selected: status.value === selected }, status.label)));
  return select;
}
