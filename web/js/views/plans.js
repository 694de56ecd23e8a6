// The sampling plans (GET /api/v1/public/plans) and one plan (GET /api/v1/public/plans/{id}?include=draw:
// the plan and its latest revealed draw in one request): items, population, sampling ratios (published
// policy), exclusion rules, schedule, draws; the latest draw's entities and substitutions, the bundle to
// download (not for plans stratified by credit class: it would disclose classes) and how to check it.
import { bundleUrl, getPublic } from '../api.js';
import { code, dl, h, table } from '../dom.js';
import { label, t, when } from '../i18n.js';
import { entityLink, errorView, planHref } from './common.js';

const latestState = (p) => (p.draws.length ? label('draw', p.draws[p.draws.length - 1].state) : t('p_not_drawn'));

export async function planListView() {
  const res = await getPublic('/api/v1/public/plans');
  if (!res.ok) return errorView(res);
  const plans = res.body.items;
  return {
    title: t('plans_title'),
    node: [h('h1', {}, t('plans_title')), h('p', { class: 'intro' }, t('plans_intro')),
      plans.length ? h('ol', { class: 'results' }, plans.map((p) => h('li', { class: 'card' },
        h('h2', { class: 'h3' }, h('a', { href: planHref(p.plan_id) }, p.title)),
        dl([[t('p_id'), code(p.plan_id)], [t('p_year'), String(p.year)], [t('p_unit'), p.org_unit_name || p.org_unit],
            [t('p_schedule'), p.schedule.start + ' – ' + p.schedule.end], [t('p_state'), latestState(p)]], 'facts compact'))))
        : h('p', {}, t('plans_none'))],
  };
}

function entropyText(e) {
  let s = label('entropy', e.source);
  if (e.digits) s += '，' + t('p_digits', { n: e.digits });
  if (e.beacon) s += '：' + e.beacon + (e.round ? ' #' + e.round : '');
  return s;
}

function population(p) {
  const any = (xs, f = (x) => x) => (xs.length ? xs.map(f).join('、') : t('p_all'));
  return dl([[t('p_regions'), any(p.regions, (r) => r.name + '（' + r.code + '）')], [t('p_industries'), any(p.industries)],
    [t('p_types'), any(p.entity_types)], [t('p_registers'), any(p.special_registers, (r) => label('register', r))]]);
}

function exclusions(x) {
  const items = [];
  if (x.deregistered) items.push(t('p_ex_dereg'));
  if (x.recently_inspected_days) items.push(t('p_ex_recent', { n: x.recently_inspected_days }));
  if (x.annual_cap) items.push(t('p_ex_cap', { n: x.annual_cap }));
  if (x.explicit_count) items.push(t('p_ex_explicit', { n: x.explicit_count }));
  return items.length ? h('ul', {}, items.map((s) => h('li', {}, s))) : h('p', {}, t('none'));
}

function verifyGuide(drawId) {
  const cmd = (s) => h('pre', {}, h('code', {}, s));
  return h('section', { class: 'verify', 'aria-labelledby': 'sec-verify' },
    h('h3', { id: 'sec-verify' }, t('verify_title')),
    h('p', {}, t('verify_intro')),
    h('ol', { class: 'steps' },
      h('li', {}, t('verify_1'), cmd('tar xf ' + drawId + '.tar')),
      h('li', {}, t('verify_2'), cmd('suiji verify ' + drawId)),
      h('li', {}, t('verify_3'), cmd('python3 docs/verify_draw.py ' + drawId)),
      h('li', {}, t('verify_4'))),
    h('p', { class: 'muted' }, t('verify_what')));
}

function latestDraw(p) {
  const d = p.latest_draw;
  if (!d) return h('p', {}, t('latest_none'));
  const stratified = p.sampling.some((s) => s.stratum !== 'all');
  return h('div', {},
    dl([[t('d_commitment'), code(d.commitment_digest)], [t('d_committed'), when(d.committed_at)],
        [t('d_entropy'), code(d.entropy)], [t('d_revealed'), when(d.revealed_at)], [t('d_seed'), code(d.seed_hash)]], 'facts hashes'),
    h('h3', { id: 'sec-drawn' }, t('d_drawn', { n: d.drawn.length })),
    h('ol', { class: 'drawn', 'aria-labelledby': 'sec-drawn' },
      d.drawn.map((x) => h('li', {}, entityLink(x.entity_id, x.name), ' ', h('span', { class: 'mono muted' }, x.entity_id)))),
    h('h3', {}, t('d_subs')),
    d.substitutions.length ? table(t('d_subs'), [t('s_out'), t('s_in'), t('s_reason')],
      d.substitutions.map((s) => [code(s.out), entityLink(s.in, s.in), s.reason]), { hideCaption: true })
      : h('p', {}, t('d_subs_none')),
    h('h3', {}, t('bundle')),
    stratified ? h('p', { class: 'notice info', id: 'bundle-refused' }, t('bundle_refused'))
      : h('p', {}, h('a', { href: bundleUrl(d.draw_id), download: d.draw_id + '.tar', class: 'button primary', id: 'bundle-link' },
        t('bundle_link', { d: d.draw_id }))),
    stratified ? null : verifyGuide(d.draw_id));
}

export async function planView(ctx, id) {
  const res = await getPublic('/api/v1/public/plans/' + encodeURIComponent(id), new URLSearchParams({ include: 'draw' }));
  if (!res.ok) return errorView(res);
  const p = res.body;
  const sampling = table(t('p_sampling'), [t('p_stratum'), t('p_ratio'), t('p_min'), t('p_max')],
    p.sampling.map((s) => [label('stratum', s.stratum), s.ratio, s.min == null ? '—' : String(s.min), s.max == null ? '—' : String(s.max)]),
    { rowHeaders: true, hideCaption: true });
  return {
    title: p.title,
    node: [
      h('p', { class: 'eyebrow' }, t('plans_title')),
      h('h1', {}, p.title),
      dl([[t('p_id'), code(p.plan_id)], [t('p_year'), String(p.year)], [t('p_unit'), p.org_unit_name || p.org_unit],
          [t('p_schedule'), p.schedule.start + ' – ' + p.schedule.end], [t('p_entropy'), entropyText(p.entropy)],
          [t('p_digest'), code(p.plan_digest)]]),
      h('section', { 'aria-labelledby': 'sec-items' }, h('h2', { id: 'sec-items' }, t('p_items')),
        table(t('p_items'), [t('p_item_code'), t('p_item_name'), t('k_department')],
          p.items.map((i) => [code(i.code), i.name, i.department]), { hideCaption: true })),
      h('section', { 'aria-labelledby': 'sec-pop' }, h('h2', { id: 'sec-pop' }, t('p_population')), population(p.population)),
      h('section', { 'aria-labelledby': 'sec-sampling', 'data-policy': 'sampling' }, h('h2', { id: 'sec-sampling' }, t('p_sampling')),
        sampling, p.sampling.some((s) => s.stratum !== 'all') ? h('p', { class: 'muted' }, t('p_sampling_note')) : null),
      h('section', { 'aria-labelledby': 'sec-ex' }, h('h2', { id: 'sec-ex' }, t('p_exclusions')), exclusions(p.exclusions)),
      h('section', { 'aria-labelledby': 'sec-teams' }, h('h2', { id: 'sec-teams' }, t('p_teams')),
        h('ul', {}, p.departments.map((d) => h('li', {}, d.name + '（' + d.code + '）：' + t('p_per_team', { n: d.officers_per_team }))),
          p.max_entities_per_officer ? h('li', {}, t('p_per_officer', { n: p.max_entities_per_officer })) : null)),
      h('section', { 'aria-labelledby': 'sec-draws' }, h('h2', { id: 'sec-draws' }, t('p_draws')),
        p.draws.length ? table(t('p_draws'), [t('d_id'), t('d_state'), t('d_committed'), t('d_revealed'), t('d_note')],
          p.draws.map((d) => [code(d.draw_id), label('draw', d.state), when(d.committed_at), when(d.revealed_at),
            d.supersedes ? t('d_supersedes', { d: d.supersedes, r: d.reason }) : d.reason]), { hideCaption: true })
          : h('p', {}, t('p_not_drawn'))),
      h('section', { 'aria-labelledby': 'sec-latest' },
        h('h2', { id: 'sec-latest' }, p.latest_draw ? t('latest', { d: p.latest_draw.draw_id }) : t('latest', { d: '' }).replace(/[：:]\s*$/, '')),
        latestDraw(p)),
    ],
  };
}
