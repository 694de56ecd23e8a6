// Counts of the published results (GET /api/v1/public/stats) as SVG bar charts with their tables;
// each bar's label leads to the search it counts.
import { getPublic } from '../api.js';
import { h } from '../dom.js';
import { label, resultLabel, t } from '../i18n.js';
import { barChart } from '../charts.js';
import { errorView } from './common.js';

const search = (k, v) => '/search?' + new URLSearchParams({ [k]: v });
const rowsOf = (obj, key, name = (k) => k) =>
  Object.entries(obj).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => [name(k), n, search(key, k)]);

export async function statsView() {
  const res = await getPublic('/api/v1/public/stats');
  if (!res.ok) return errorView(res);
  const s = res.body;
  const head = [h('h1', {}, t('stats_title')), h('p', { class: 'intro' }, t('stats_intro'))];
  if (!s.published) return { title: t('stats_title'), node: [...head, h('p', {}, t('stats_none'))] };
  const pct = Math.round((1000 * s.published_on_time) / s.published) / 10;
  const tile = (k, v) => h('div', { class: 'tile' }, h('dt', {}, t(k)), h('dd', {}, v));
  const months = Object.entries(s.by_month).sort().map(([m, n]) => [m, n]);
  return {
    title: t('stats_title'),
    node: [...head,
      h('dl', { class: 'tiles' }, tile('st_published', String(s.published)), tile('st_problems', String(s.with_problems)),
        tile('st_on_time', t('st_on_time_pct', { p: pct, n: s.published_on_time }))),
      h('div', { class: 'charts' },
        barChart(t('ch_result'), [...s.by_result].sort((a, b) => b.count - a.count)
          .map((r) => [resultLabel(r), r.count, search('result', r.code)])),
        barChart(t('ch_month'), months),
        barChart(t('ch_region'), rowsOf(s.by_region, 'region')),
        barChart(t('ch_department'), rowsOf(s.by_department, 'department',
          (k) => (label('department', k) !== k ? k + '（' + label('department', k) + '）' : k))),
        barChart(t('ch_item'), rowsOf(s.by_item, 'item')))],
  };
}
