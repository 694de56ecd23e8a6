// The vocabularies the public record uses, in Chinese and English. RESULTS is the national result
// vocabulary of data/reference/inspection_results.csv (code, label_zh, label_en, whether a problem was
// found), in its order; the browser test compares the two. Pure data: no DOM, importable from Node.
export const RESULTS = [
  ['no_problem', '未发现问题', 'No problem found', false],
  ['not_publicized', '未按规定公示应当公示的信息', 'Did not publish information it must publish', true],
  ['false_publicity', '公示信息隐瞒真实情况、弄虚作假', 'Published information concealed the truth or was falsified', true],
  ['unreachable', '通过登记的住所（经营场所）无法联系', 'Cannot be contacted at its registered domicile (business premises)', true],
  ['refused_serious', '不配合检查情节严重', 'Refused to cooperate with the inspection (serious)', true],
  ['no_activity', '未发现开展本次抽查涉及的经营活动', 'No business activity covered by this inspection found', false],
  ['closed', '已关闭停业或正在组织清算', 'Closed down or in liquidation', false],
  ['corrected', '发现问题已责令改正', 'Problem found; ordered to correct it', true],
  ['follow_up', '发现问题待后续处理', 'Problem found; to be handled further', true],
].map(([code, zh, en, problem]) => ({ code, zh, en, problem }));

// Codes of the public answers and their labels: [zh, en].
export const LABELS = {
  status: { active: ['存续', 'Active'], deregistered: ['注销', 'Deregistered'], revoked: ['吊销', 'Revoked'],
            abnormal: ['异常', 'Abnormal'], other: ['其他', 'Other'] },
  outcome: { no_problem: ['未发现问题', 'No problem'], problem: ['发现问题', 'Problem found'] },
  follow_up: { order_correction: ['责令改正', 'Ordered to correct'], transfer: ['移送', 'Transferred'],
               penalty: ['立案查处', 'Case opened'] },
  objection: { pending: ['处理中', 'Pending'], rejected: ['不予支持（维持原结果）', 'Rejected (result stands)'],
               upheld: ['成立（已更正）', 'Upheld (corrected)'] },
  draw: { committed: ['已承诺，待揭示', 'Committed, not yet revealed'], revealed: ['已揭示', 'Revealed'],
          superseded: ['已作废（重新抽取）', 'Superseded (re-drawn)'] },
  list: { abnormal: ['经营异常名录', 'List of enterprises with abnormal operations'],
          serious: ['严重违法失信名单', 'List of serious violators'] },
  stratum: { A: ['A 类（信用风险低）', 'Class A (low credit risk)'], B: ['B 类（信用风险一般）', 'Class B (medium credit risk)'],
             C: ['C 类（信用风险较高）', 'Class C (higher credit risk)'], D: ['D 类（信用风险高）', 'Class D (high credit risk)'],
             unclassified: ['未分类', 'Not yet classified'], all: ['全部对象（不分层）', 'All entities (one stratum)'] },
  entropy: { dice: ['现场掷骰', 'Dice rolled in public'], beacon: ['公共随机信标', 'Public randomness beacon'] },
  register: { food: ['食品经营', 'Food businesses'] },
  department: { SAMR: ['市场监管', 'market regulation'] },
};
