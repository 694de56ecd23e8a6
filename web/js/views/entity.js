// An entity's public page (GET /api/v1/public/entities/{id}, either id): its published inspections, each
// with its history (every correction with its reason and date) and objections; its public lists
// (经营异常名录, 严重违法失信名单) with removal; the joint-punishment measures in force.
import { getPublic } from '../api.js';
import { code, dl, h, table } from '../dom.js';
import { label, resultLabel, t } from '../i18n.js';
import { errorView, planHref, resultBadge } from './common.js';

function followUp(f) {
  if (!f) return '';
  let s = label('follow_up', f.kind);
  if (f.deadline) s += '，' + t('k_deadline') + ' ' + f.deadline;
  if (f.to) s += '，' + t('k_to') + ' ' + f.to;
  return s;
}

function inspection(r, i) {
  const id = 'insp-' + i;
  const pending = r.pending_objection;
  return h('article', { class: 'card inspection', 'aria-labelledby': id },
    h('h3', { id }, r.inspected_on + ' · ' + r.department + ' · ', resultLabel(r.result)),
    h('p', { class: 'badges' }, resultBadge(r.result),
      r.version > 1 ? h('span', { class: 'badge info' }, t('version_n', { n: r.version })) : null,
      pending ? h('span', { class: 'badge warn' }, t('objection_pending')) : null),
    pending ? h('p', { class: 'notice warn' }, t('o_pending_note', { r: pending.receipt_no, d: pending.filed_on })) : null,
    dl([[t('k_record'), code(r.record_id)], [t('k_plan'), h('a', { href: planHref(r.plan_id) }, r.plan_id)],
        [t('k_draw'), code(r.draw_id)], [t('k_inspected'), r.inspected_on], [t('k_concluded'), r.concluded_on],
        [t('k_first_published'), r.first_published_on], [t('k_published'), r.published_on],
        [t('k_due'), [r.due_on, ' ', h('span', { class: r.on_time ? 'muted' : 'late' }, r.on_time ? t('on_time') : t('late'))]],
        [t('k_follow_up'), followUp(r.follow_up)], [t('k_team'), (r.team || []).map((p) => h('code', { class: 'mono nowrap' }, p)).flatMap((c, j) => (j ? ['、', c] : [c]))],
        [t('h_reason'), r.correction_reason]]),
    table(t('k_items'), [t('k_item'), t('k_outcome')],
      (r.items || []).map((x) => [code(x.item), h('span', { class: x.outcome === 'problem' ? 'late' : '' }, label('outcome', x.outcome))])),
    (r.history || []).length > 1 ? table(t('history'), [t('h_version'), t('k_result'), t('k_published'), t('h_reason')],
      r.history.map((v) => [String(v.version), resultLabel(v.result), v.published_on, v.correction_reason || t('h_original')])) : null,
    (r.objections || []).length ? table(t('objections'),
      [t('o_receipt'), t('o_version'), t('o_filed'), t('o_state'), t('o_reason'), t('o_decided')],
      r.objections.map((o) => [code(o.receipt_no), String(o.version), o.filed_on, label('objection', o.state),
        o.decision_reason, o.decided_on])) : null);
}

export async function entityView(ctx, id) {
  const res = await getPublic('/api/v1/public/entities/' + encodeURIComponent(id));
  if (!res.ok) return errorView(res);
  const { entity: e, inspections, lists, measures_in_force: measures } = res.body;
  return {
    title: e.name,
    node: [
      h('p', { class: 'eyebrow' }, t('entity_title')),
      h('h1', {}, e.name),
      dl([[t('k_code'), code(e.id)], [t('k_regno'), e.regno && e.regno !== e.id ? code(e.regno) : ''],
          [t('k_region'), e.region_name + '（' + e.region + '）'], [t('k_type'), e.type_label],
          [t('k_status'), label('status', e.status)], [t('k_established'), e.established], [t('k_industry'), e.industry],
          [t('k_address'), e.address]], 'facts entity'),
      h('section', { 'aria-labelledby': 'sec-insp' },
        h('h2', { id: 'sec-insp' }, t('inspections', { n: inspections.length })),
        inspections.length ? inspections.map(inspection) : h('p', {}, t('inspections_none'))),
      h('section', { 'aria-labelledby': 'sec-lists' },
        h('h2', { id: 'sec-lists' }, t('lists')),
        lists.length ? table(t('lists'), [t('l_list'), t('l_reason'), t('l_listed'), t('l_authority'), t('l_removed')],
          lists.map((m) => [label('list', m.list), m.reason, m.listed_on, m.authority,
            m.removed_on ? m.removed_on + ' ' + m.removal_authority + '：' + m.removal_reason : t('l_in_force')]),
          { hideCaption: true })
          : h('p', {}, t('lists_none'))),
      h('section', { 'aria-labelledby': 'sec-measures' },
        h('h2', { id: 'sec-measures' }, t('measures')),
        measures.length ? table(t('measures'), [t('m_measure'), t('m_department'), t('m_basis'), t('m_period')],
          measures.map((m) => [m.measure, m.department, [m.memorandum_title, '（', m.document, '）；', m.legal_basis],
            m.start_on + ' – ' + (m.end_on || t('m_open'))]), { hideCaption: true })
          : h('p', {}, t('measures_none'))),
    ],
  };
}
