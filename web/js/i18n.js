// The page's words in Chinese (the default) and English. t('key', {n: 3}) fills {n}.
import { LABELS, RESULTS } from './vocab.js';

const STRINGS = {
  site: ['双随机、一公开', 'Double random, one public'],
  tagline: ['抽查检查结果公示', 'Public record of random inspections'],
  skip: ['跳到主要内容', 'Skip to main content'],
  nav: ['主导航', 'Main'],
  nav_search: ['查询结果', 'Search results'],
  nav_plans: ['抽查计划', 'Inspection plans'],
  nav_stats: ['统计', 'Statistics'],
  switch_lang: ['English', '中文'],
  switch_lang_label: ['Switch to English', '切换到中文'],
  footer: ['本页只显示已依法公示的信息：不含信用分值与分类、检查人员身份、内部记录及异议联系方式。',
           'This page shows only what has been published: no credit scores or classes, no officer identities, no internal notes or objection contacts.'],
  footer_api: ['开放数据接口', 'Open data API'],
  loading: ['正在加载…', 'Loading…'],
  error: ['暂时无法取得数据，请稍后再试。', 'The data cannot be loaded right now; please try again later.'],
  retry: ['重试', 'Try again'],
  not_found: ['未找到', 'Not found'],
  not_found_page: ['没有这个页面。', 'There is no such page.'],
  back_home: ['返回查询', 'Back to search'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  none: ['无', 'none'],
  // search
  search_title: ['查询抽查检查结果', 'Search inspection results'],
  search_intro: ['查询已公示的“双随机、一公开”抽查检查结果：按企业名称、统一社会信用代码或注册号、区划、部门、检查事项、检查结果和检查日期筛选。',
                 'Search the published results of random inspections by name, credit code or registration number, region, department, item, result and date.'],
  f_name: ['企业名称（关键词）', 'Name (any part)'],
  f_code: ['统一社会信用代码或注册号', 'Unified social credit code or registration number'],
  f_more: ['更多条件', 'More filters'],
  f_region: ['行政区划代码', 'Region code'],
  f_region_hint: ['6 位代码，如 510100（成都市）含其下各区县', '6 digits, e.g. 510100 (Chengdu) covers its districts'],
  f_department: ['检查部门代码', 'Department code'],
  f_department_hint: ['如 SAMR（市场监管）', 'e.g. SAMR (market regulation)'],
  f_item: ['检查事项编码', 'Inspection item code'],
  f_item_hint: ['如 SAMR-004', 'e.g. SAMR-004'],
  f_result: ['检查结果', 'Result'],
  f_any: ['全部', 'Any'],
  f_from: ['检查日期（起）', 'Inspected from'],
  f_to: ['检查日期（止）', 'Inspected to'],
  f_limit: ['每页条数', 'Per page'],
  f_submit: ['查询', 'Search'],
  f_clear: ['清空条件', 'Clear'],
  results_total: ['共 {n} 条结果', '{n} results'],
  results_page: ['第 {p} 页', 'page {p}'],
  results_none: ['没有符合条件的已公示结果。', 'No published result matches.'],
  results_invalid: ['查询条件有误：', 'The search is not valid:'],
  paging: ['分页', 'Pages'],
  first_page: ['第一页', 'First page'],
  next_page: ['下一页', 'Next page'],
  version_n: ['第 {n} 版（已更正）', 'version {n} (corrected)'],
  objection_pending: ['异议处理中', 'Objection pending'],
  on_time: ['按期公示', 'Published on time'],
  late: ['逾期公示', 'Published late'],
  // fields
  k_code: ['统一社会信用代码/注册号', 'Credit code / registration no.'],
  k_regno: ['注册号', 'Registration no.'],
  k_region: ['登记机关区划', 'Region'],
  k_type: ['企业类型', 'Type'],
  k_status: ['登记状态', 'Status'],
  k_established: ['成立日期', 'Established'],
  k_address: ['住所', 'Address'],
  k_industry: ['行业代码', 'Industry code'],
  k_department: ['检查部门', 'Department'],
  k_plan: ['抽查计划', 'Plan'],
  k_draw: ['抽取编号', 'Draw'],
  k_inspected: ['检查日期', 'Inspected on'],
  k_concluded: ['检查结束日期', 'Concluded on'],
  k_published: ['公示日期', 'Published on'],
  k_first_published: ['首次公示日期', 'First published on'],
  k_due: ['应公示截止日期', 'Due by'],
  k_result: ['检查结果', 'Result'],
  k_follow_up: ['后续处置', 'Follow-up'],
  k_deadline: ['整改期限', 'deadline'],
  k_to: ['移送至', 'to'],
  k_team: ['检查人员（化名）', 'Officers (pseudonyms)'],
  k_items: ['检查事项', 'Items'],
  k_item: ['事项', 'Item'],
  k_outcome: ['检查情况', 'Finding'],
  k_record: ['记录编号', 'Record'],
  // entity
  entity_title: ['企业公示信息', 'Public record of an entity'],
  inspections: ['抽查检查记录（{n}）', 'Inspections ({n})'],
  inspections_none: ['暂无已公示的抽查检查结果。', 'No published inspection result yet.'],
  history: ['历史版本', 'Versions'],
  h_version: ['版本', 'Version'],
  h_reason: ['更正理由', 'Reason for the correction'],
  h_original: ['原始公示', 'as first published'],
  objections: ['异议及处理', 'Objections and decisions'],
  o_receipt: ['受理编号', 'Receipt no.'],
  o_version: ['针对版本', 'On version'],
  o_filed: ['提出日期', 'Filed on'],
  o_state: ['状态', 'State'],
  o_reason: ['处理理由', 'Decision'],
  o_decided: ['处理日期', 'Decided on'],
  o_pending_note: ['该企业对本结果提出了异议（受理编号 {r}，{d}），正在处理中。', 'The entity objected to this result (receipt {r}, {d}); the objection is being decided.'],
  lists: ['列入名录情况', 'Public lists'],
  lists_none: ['未列入经营异常名录或严重违法失信名单。', 'Not on the list of abnormal operations or of serious violators.'],
  l_list: ['名录', 'List'],
  l_reason: ['列入事由', 'Reason'],
  l_listed: ['列入日期', 'Listed on'],
  l_authority: ['作出决定机关', 'Decided by'],
  l_removed: ['移出', 'Removed'],
  l_in_force: ['仍在名录中', 'still listed'],
  measures: ['正在实施的联合惩戒措施', 'Joint-punishment measures in force'],
  measures_none: ['目前没有正在实施的联合惩戒措施。', 'No joint-punishment measure is in force.'],
  m_measure: ['惩戒措施', 'Measure'],
  m_department: ['实施部门', 'By'],
  m_basis: ['依据', 'Basis'],
  m_period: ['期间', 'Period'],
  m_open: ['至移出名录', 'until removed from the list'],
  // plans
  plans_title: ['抽查计划', 'Inspection plans'],
  plans_intro: ['每个抽查计划公布检查事项、抽查对象范围、抽查比例和排除规则；抽取前先公布承诺摘要，再用公开产生的随机数抽取，任何人都可以核验。',
                'Each plan publishes its items, population, sampling ratios and exclusion rules; a commitment is published before the draw, which then uses randomness produced in public, so anyone can check it.'],
  plans_none: ['尚无公开的抽查计划。', 'No plan has been published yet.'],
  p_title: ['计划名称', 'Plan'],
  p_year: ['年度', 'Year'],
  p_unit: ['制定单位', 'By'],
  p_schedule: ['实施期间', 'Schedule'],
  p_state: ['抽取状态', 'Draw'],
  p_not_drawn: ['尚未抽取', 'not drawn yet'],
  p_id: ['计划编号', 'Plan id'],
  p_digest: ['计划摘要（SHA-256）', 'Plan digest (SHA-256)'],
  p_entropy: ['随机数来源', 'Randomness'],
  p_digits: ['{n} 位', '{n} digits'],
  p_items: ['检查事项', 'Inspection items'],
  p_item_code: ['事项编码', 'Code'],
  p_item_name: ['事项名称', 'Item'],
  p_population: ['抽查对象范围', 'Population'],
  p_regions: ['区划', 'Regions'],
  p_industries: ['行业', 'Industries'],
  p_types: ['主体类型', 'Entity types'],
  p_registers: ['重点名录', 'Special registers'],
  p_all: ['不限', 'any'],
  p_sampling: ['抽查比例', 'Sampling ratios'],
  p_sampling_note: ['按企业信用风险分类确定的抽查比例是公开的监管政策；任何企业的分类结果均不公开。',
                    'The ratio per credit-risk class is published policy; no entity\'s class is ever published.'],
  p_stratum: ['层', 'Stratum'],
  p_ratio: ['比例', 'Ratio'],
  p_min: ['最少', 'At least'],
  p_max: ['最多', 'At most'],
  p_exclusions: ['排除规则', 'Exclusions'],
  p_ex_dereg: ['排除已注销、吊销的企业', 'Deregistered and revoked entities are excluded'],
  p_ex_recent: ['排除 {n} 天内已被检查的企业', 'Entities inspected within {n} days are excluded'],
  p_ex_cap: ['每家企业每年最多被抽查 {n} 次', 'At most {n} inspections per entity a year'],
  p_ex_explicit: ['另有 {n} 家企业依法逐一排除（不公开名称）', '{n} more entities excluded one by one (not named)'],
  p_teams: ['检查部门与分组', 'Departments and teams'],
  p_per_team: ['每组 {n} 人', '{n} officers a team'],
  p_per_officer: ['每名检查人员最多检查 {n} 家', 'At most {n} entities per officer'],
  p_draws: ['抽取记录', 'Draws'],
  d_id: ['抽取编号', 'Draw'],
  d_state: ['状态', 'State'],
  d_committed: ['承诺时间', 'Committed'],
  d_revealed: ['揭示时间', 'Revealed'],
  d_note: ['说明', 'Note'],
  d_supersedes: ['取代 {d}：{r}', 'replaces {d}: {r}'],
  latest: ['最近一次抽取：{d}', 'Latest draw: {d}'],
  latest_none: ['本计划还没有已揭示的抽取。', 'This plan has no revealed draw yet.'],
  d_commitment: ['承诺摘要 C（抽取前公布）', 'Commitment C (published before the draw)'],
  d_entropy: ['公开随机数 E', 'Public randomness E'],
  d_seed: ['种子摘要 SHA-256(C|E)', 'Seed hash SHA-256(C|E)'],
  d_drawn: ['抽中对象（{n} 家，按编号排列）', 'Entities drawn ({n}, by id)'],
  d_subs: ['替补', 'Substitutions'],
  d_subs_none: ['没有替补。', 'No substitution.'],
  s_out: ['替出', 'Out'],
  s_in: ['替入（备选名单顺序）', 'In (next on the reserve list)'],
  s_reason: ['理由', 'Reason'],
  bundle: ['下载与核验', 'Download and check'],
  bundle_link: ['下载抽取包 {d}.tar', 'Download the bundle {d}.tar'],
  bundle_refused: ['本计划按企业信用风险分类分层抽取，抽取包不对公众提供：抽取包列出每一层的全部对象，等于公开每家企业的信用风险分类，而分类结果依规不公开。抽取包由监管端提供给审计人员核验；您仍可核对本页公布的承诺摘要、公开随机数、种子摘要和抽中名单。',
                   'This plan is stratified by credit-risk class, so its bundle is not public: the bundle lists every stratum\'s entities, which would disclose each entity\'s class, and classes are never published. Auditors check it through the regulator\'s route; you can still compare the commitment, the public randomness, the seed hash and the list drawn shown here.'],
  verify_title: ['自己核验这次抽取', 'Check this draw yourself'],
  verify_intro: ['核验不需要联网，也不需要数据库：只用抽取包里的承诺文件和公开随机数重新计算一遍。',
                 'Checking needs neither a network nor a database: it recomputes everything from the commitment file in the bundle and the public randomness.'],
  verify_1: ['下载上面的抽取包，解包：', 'Download the bundle above and unpack it:'],
  verify_2: ['用 suiji 核验（显示 MATCH 即完全一致）：', 'Check it with suiji (MATCH means everything agrees):'],
  verify_3: ['或用独立编写的参考程序核验（suiji 源代码中的 docs/verify_draw.py，只需 Python 3 和 networkx）：',
             'Or with the independent reference verifier (docs/verify_draw.py in the suiji sources; needs only Python 3 and networkx):'],
  verify_4: ['对照本页：抽取包 bundle.json 中的承诺摘要、随机数和种子摘要应与上面公布的一致。',
             'Compare with this page: the commitment, randomness and seed hash in bundle.json must be the ones published above.'],
  verify_what: ['核验程序检查：承诺文件的 SHA-256 就是抽取前公布的承诺摘要 C；种子摘要 = SHA-256(C|E)；每家企业的签号 = SHA-256(种子摘要 + 企业编号)；每层按签号排序，前若干家为抽中对象，其后为备选名单，替补按备选顺序依次替入。任何一处不一致都会显示 DIFFERENCE 和第一处差异。',
                'The verifier checks that the commitment file hashes (SHA-256) to the commitment C published before the draw; that the seed hash is SHA-256(C|E); that each entity\'s ticket is SHA-256(seed hash + its id); that in each stratum the entities sorted by ticket give the drawn ones first and the reserve list next, and that substitutions take the reserve in order. Any disagreement prints DIFFERENCE with the first difference.'],
  // stats
  stats_title: ['统计', 'Statistics'],
  stats_intro: ['已公示的抽查检查结果（现行版本）的数量。', 'Counts of the published results (current versions).'],
  st_published: ['已公示结果', 'Results published'],
  st_problems: ['发现问题', 'Problems found'],
  st_on_time: ['按期公示', 'Published on time'],
  st_on_time_pct: ['{p}%（{n} 条）', '{p}% ({n})'],
  ch_result: ['按检查结果', 'By result'],
  ch_month: ['按公示月份', 'By month of publication'],
  ch_region: ['按登记机关区划', 'By region'],
  ch_department: ['按检查部门', 'By department'],
  ch_item: ['按检查事项', 'By inspection item'],
  ch_table: ['数据表', 'Data table'],
  ch_count: ['数量', 'Count'],
  ch_summary: ['{t}：{list}', '{t}: {list}'],
  stats_none: ['还没有已公示的结果。', 'Nothing has been published yet.'],
};

let current = 'zh';
try {
  current = localStorage.getItem('suiji.lang') === 'en' ? 'en' : 'zh';
} catch (e) {
  /* storage blocked: Chinese */
}

export const lang = () => current;
export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem('suiji.lang', current);
  } catch (e) {
    /* not kept */
  }
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

export function t(key, vars = {}) {
  const pair = STRINGS[key];
  let s = pair ? pair[current === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll('{' + k + '}', String(v));
  return s;
}

// The label of a code of one of the vocabularies (vocab.js LABELS), or the code itself.
export function label(kind, code) {
  const pair = (LABELS[kind] || {})[code];
  return pair ? pair[current === 'en' ? 1 : 0] : code;
}

// A result {code, label_zh, label_en} (or a code) in the page's language.
export function resultLabel(r) {
  const code = typeof r === 'string' ? r : r.code;
  const known = RESULTS.find((x) => x.code === code);
  if (typeof r !== 'string' && r.label_zh) return current === 'en' ? r.label_en : r.label_zh;
  return known ? (current === 'en' ? known.en : known.zh) : code;
}
export const resultProblem = (code) => !!(RESULTS.find((x) => x.code === code) || {}).problem;

const TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
  day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
// "2026-12-07T08:59:59.999Z" -> "2026-12-07 16:59" (Beijing time).
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : TIME.format(d);
}
