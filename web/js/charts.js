// Horizontal bar charts drawn as SVG (no chart library), sized to their container in CSS pixels so
// labels stay legible on a phone; each comes with its data as a table (charts.js callers) for screen
// readers and for anyone who prefers numbers. Rows: [label, count, href?].
import { h, svg } from './dom.js';
import { t } from './i18n.js';

const ROW = 44;  // px per bar: a label line and the bar

export function barChart(title, rows) {
  const fig = h('figure', { class: 'chart' });
  const summary = t('ch_summary', { t: title, list: rows.map(([l, n]) => l + ' ' + n).join('，') });
  const draw = () => {
    const width = Math.max(240, Math.floor(fig.clientWidth || 320));
    const max = Math.max(1, ...rows.map((r) => r[1]));
    const barMax = width - 56;
    const g = rows.map(([name, n, href], i) => {
      const y = i * ROW;
      const w = Math.max(2, Math.round((n / max) * barMax));
      const text = svg('text', { x: 0, y: y + 14, class: 'label' }, name);
      return svg('g', {},
        href ? svg('a', { href, 'aria-label': name + ' ' + n }, text) : text,
        svg('rect', { x: 0, y: y + 20, width: w, height: 16, rx: 2, class: 'bar' }),
        svg('text', { x: w + 6, y: y + 33, class: 'value' }, String(n)));
    });
    const chart = svg('svg', { width, height: rows.length * ROW, viewBox: '0 0 ' + width + ' ' + rows.length * ROW,
      role: 'img', 'aria-label': summary, focusable: 'false' }, svg('title', {}, summary), g);
    const old = fig.querySelector('svg');
    if (old) old.replaceWith(chart);
    else fig.querySelector('figcaption').after(chart);
  };
  fig.append(h('figcaption', {}, title),
    h('details', {}, h('summary', {}, t('ch_table')),
      h('table', {}, h('caption', { class: 'visually-hidden' }, title),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, title), h('th', { scope: 'col' }, t('ch_count')))),
        h('tbody', {}, rows.map(([l, n, href]) => h('tr', {}, h('th', { scope: 'row' }, href ? h('a', { href }, l) : l),
          h('td', { class: 'num' }, String(n))))))));
  // Drawn once it is in the document (its width known), and again when that width changes.
  requestAnimationFrame(draw);
  if (window.ResizeObserver) {
    let last = 0;
    new ResizeObserver(() => {
      if (Math.abs(fig.clientWidth - last) > 8) {
        last = fig.clientWidth;
        draw();
      }
    }).observe(fig);
  }
  return fig;
}
