// Search of the published results (GET /api/v1/public/results): the filters of the API as a form that
// puts them in the address (/search?name=...), so a search can be bookmarked, shared and reloaded;
// keyset pages (after = the previous page's next_after) with the total count.
import { getPublic } from '../api.js';
import { h } from '../dom.js';
import { label, lang, t } from '../i18n.js';
import { RESULTS } from '../vocab.js';
import { entityHref, errorView, planHref, resultBadge } from './common.js';

const FILTERS = ['name', 'code', 'region', 'department', 'item', 'result', 'from', 'to'];
const MORE = ['region', 'department', 'item', 'result', 'from', 'to'];
const LIMITS = ['10', '20', '50'];
const qs = (p) => (p.toString() ? '?' + p : '');

function field(id, key, value, attrs = {}, hint) {
  const hintId = hint ? 'hint-' + id : null;
  return h('div', { class: 'field' },
    h('label', { for: 'f-' + id }, t(key)),
    hint ? h('span', { class: 'hint', id: hintId }, t(hint)) : null,
    h('input', { id: 'f-' + id, name: id, value: value || '', 'aria-describedby': hintId, autocomplete: 'off', ...attrs }));
}

function form(params, navigate) {
  const v = (k) => params.get(k) || '';
  const result = h('select', { id: 'f-result', name: 'result' },
    h('option', { value: '' }, t('f_any')),
    RESULTS.map((r) => h('option', { value: r.code, selected: v('result') === r.code }, lang() === 'en' ? r.en : r.zh)));
  const limit = h('select', { id: 'f-limit', name: 'limit' },
    LIMITS.map((n) => h('option', { value: n, selected: (v('limit') || '20') === n }, n)));
  const f = h('form', { class: 'search', role: 'search', action: '/search', method: 'get', 'aria-labelledby': 'search-title' },
    h('div', { class: 'row' },
      field('name', 'f_name', v('name'), { type: 'search', maxlength: 200 }),
      field('code', 'f_code', v('code'), { maxlength: 64, spellcheck: 'false', autocapitalize: 'characters' })),
    h('details', { open: MORE.some((k) => v(k)) },
      h('summary', {}, t('f_more')),
      h('div', { class: 'row' },
        field('region', 'f_region', v('region'), { inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 }, 'f_region_hint'),
        field('department', 'f_department', v('department'), { maxlength: 32 }, 'f_department_hint'),
        field('item', 'f_item', v('item'), { maxlength: 64 }, 'f_item_hint'),
        h('div', { class: 'field' }, h('label', { for: 'f-result' }, t('f_result')), result),
        field('from', 'f_from', v('from'), { type: 'date' }),
        field('to', 'f_to', v('to'), { type: 'date' }),
        h('div', { class: 'field' }, h('label', { for: 'f-limit' }, t('f_limit')), limit))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, t('f_submit')),
      h('a', { href: '/', class: 'button' }, t('f_clear'))));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const k of [...FILTERS, 'limit']) {
      const x = f.elements.namedItem(k).value.trim();  // not elements[k]: elements.item is a method
      if (x && !(k === 'limit' && x === '20')) q.set(k, x);
    }
    navigate('/search' + qs(q), '#results-title');
  });
  return f;
}

function card(r) {
  const e = r.entity || {};
  const badges = [resultBadge(r.result)];
  if (r.version > 1) badges.push(h('span', { class: 'badge info' }, t('version_n', { n: r.version })));
  if (r.pending_objection) badges.push(h('span', { class: 'badge warn' }, t('objection_pending')));
  return h('li', { class: 'card' },
    h('h3', {}, h('a', { href: entityHref(e.id || '') }, e.name || e.id)),
    h('p', { class: 'badges' }, badges),
    h('dl', { class: 'facts compact' },
      [[t('k_code'), h('span', { class: 'mono' }, e.id)], [t('k_region'), e.region_name],
       [t('k_department'), r.department + (label('department', r.department) !== r.department ? '（' + label('department', r.department) + '）' : '')],
       [t('k_inspected'), r.inspected_on],
       [t('k_published'), [r.published_on, ' ', h('span', { class: r.on_time ? 'muted' : 'late' }, r.on_time ? t('on_time') : t('late'))]],
       [t('k_plan'), h('a', { href: planHref(r.plan_id) }, r.plan_id)]]
        .map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
}

export async function searchView({ params, navigate }) {
  const api = new URLSearchParams();
  for (const k of [...FILTERS, 'after']) if (params.get(k)) api.set(k, params.get(k));
  api.set('limit', LIMITS.includes(params.get('limit')) ? params.get('limit') : '20');
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const res = await getPublic('/api/v1/public/results', api);
  const head = [h('h1', { id: 'search-title' }, t('search_title')), h('p', { class: 'intro' }, t('search_intro')), form(params, navigate)];
  if (!res.ok && res.status !== 400 && res.status !== 422) return errorView(res);
  let body;
  if (!res.ok) {
    const errs = (res.body && res.body.errors) || [];
    body = h('div', { class: 'notice bad', role: 'alert', id: 'results-title', tabindex: -1 },
      h('p', {}, t('results_invalid') + ' ' + ((res.body && res.body.detail) || '')),
      errs.length ? h('ul', {}, errs.map((e) => h('li', {}, e.field + ': ' + e.reason))) : null);
  } else {
    const { items, total, next_after: next } = res.body;
    const keep = new URLSearchParams();
    for (const k of [...FILTERS, 'limit']) if (params.get(k)) keep.set(k, params.get(k));
    const links = [];
    if (params.get('after')) links.push(h('a', { href: '/search' + qs(keep), class: 'button' }, t('first_page')));
    if (next) {
      const n = new URLSearchParams(keep);
      n.set('after', next);
      n.set('page', String(page + 1));
      links.push(h('a', { href: '/search?' + n, class: 'button', rel: 'next' }, t('next_page')));
    }
    body = h('section', { 'aria-labelledby': 'results-title' },
      h('h2', { id: 'results-title', tabindex: -1, 'aria-live': 'polite' },
        t('results_total', { n: total }), page > 1 ? h('span', { class: 'muted' }, ' · ' + t('results_page', { p: page })) : null),
      items.length ? h('ol', { class: 'results' }, items.map(card)) : h('p', {}, t('results_none')),
      links.length ? h('nav', { class: 'pager', 'aria-label': t('paging') }, links) : null);
  }
  return { title: t('search_title'), node: [...head, body] };
}
