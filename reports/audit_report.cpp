// AuditReport (builders.h): the third-party evaluation of a period, its one-page summary first.
#include "reports/build_util.h"
#include "reports/builders.h"

namespace suiji::reports {

using namespace detail;

Report AuditReport(const AuditFacts& a) {
  const ReportFacts& f = a.facts;
  Report r;
  r.kind = "audit";
  r.audience = "regulator";
  r.title = T("“双随机、一公开”第三方评估报告 " + a.period_from + " – " + a.period_to,
              "Third-party evaluation of random inspections " + a.period_from + " – " + a.period_to);
  r.subtitle = T("每次抽取均由 suiji 自带的核验程序从公开输入重新计算；审计链逐条核对。",
                 "Every draw recomputed from its published inputs by suiji's own verifier; the audit chain checked link by link.");
  r.meta = {{T("评估期间", "period"), a.period_from + " – " + a.period_to},
            {T("生成时间", "generated"), a.generated_at},
            {T("审计链末端", "audit chain head"), a.chain.head}};

  std::int64_t verified = 0, failed = 0;
  for (const auto& c : a.checks) (c.verified ? verified : failed)++;
  std::vector<const DrawFacts*> redraws, repaired;
  std::int64_t substitutions = 0;
  for (const auto& d : f.draws) {
    if (!d.supersedes.empty()) redraws.push_back(&d);
    if (d.pairing_attempts > 1) repaired.push_back(&d);
    substitutions += static_cast<std::int64_t>(d.substitutions.size());
  }
  std::vector<const TaskFacts*> late, corrected;
  for (const auto& t : f.tasks) {
    if (t.late()) late.push_back(&t);
    if (!t.corrections.empty()) corrected.push_back(&t);
  }
  bool rows_ok = true;
  for (const auto& x : a.rows) rows_ok = rows_ok && x.ok;
  const bool clean = failed == 0 && a.chain.ok && rows_ok;

  Section summary{"summary", T("评估结论（一页摘要）", "Conclusion (one-page summary)"), {}, {}, {}, {}};
  summary.figures = {{T("抽取核验一致", "draws verified"), N(verified) + " / " + N(static_cast<long long>(a.checks.size())), {}},
                     {T("审计链", "audit chain"), a.chain.ok ? "OK" : "BROKEN", T(N(a.chain.events) + " 条事件", N(a.chain.events) + " events")},
                     {T("重抽", "re-draws"), N(static_cast<long long>(redraws.size())), {}},
                     {T("替补", "substitutions"), N(substitutions), {}},
                     {T("重新匹配", "re-pairings"), N(static_cast<long long>(repaired.size())), {}},
                     {T("逾期公示", "late publications"), N(static_cast<long long>(late.size())), {}},
                     {T("更正", "corrections"), N(static_cast<long long>(corrected.size())), {}}};
  summary.paragraphs.push_back(
      clean ? T("结论：本期 " + N(static_cast<long long>(a.checks.size())) +
                    " 次抽取全部可由公开输入独立复算且结果一致；操作日志的哈希链完整，名录数据与日志记录一致。下列每一次重抽、替补、重新匹配、逾期公示和更正均有记录和理由。",
                "Conclusion: all " + N(static_cast<long long>(a.checks.size())) +
                    " draws of the period recompute from their published inputs to the same result; the log's hash "
                    "chain is intact and the registers' rows match it. Every re-draw, substitution, re-pairing, late "
                    "publication and correction below is recorded with its reason.")
            : T("结论：发现问题，需要解释。" + std::string(failed ? " 有 " + N(failed) + " 次抽取复算不一致。" : "") +
                    (a.chain.ok ? "" : " 审计链断裂：" + a.chain.problem + "。") + (rows_ok ? "" : " 名录数据与日志不一致。"),
                "Conclusion: problems found that need explaining." +
                    std::string(failed ? " " + N(failed) + " draws do not recompute to their published result." : "") +
                    (a.chain.ok ? "" : " The audit chain is broken: " + a.chain.problem + ".") +
                    (rows_ok ? "" : " Register rows do not match the log.")));
  summary.paragraphs.push_back(
      T("如何理解：随机抽取在抽取前公布“承诺值”，锁定对象名单和规则；抽取后公布随机数。任何人用这两者都能重新算出抽中了谁——算出的结果与公布的一致，说明没有人事后挑选对象。",
        "What this means: before each draw suiji publishes a commitment that locks the list of entities and the rules; "
        "afterwards it publishes the random number. With both, anyone can recompute who was drawn. A match means nobody "
        "picked the entities after the fact."));
  r.sections.push_back(std::move(summary));

  Section draws{"verification", T("抽取核验", "Draw verification"), {}, {}, {}, {}};
  Table dt{"draw_checks", T("每次抽取的复算", "Each draw recomputed"),
           {Col("抽取编号", "draw"), Col("计划", "plan"), Col("状态", "state"), Col("核验", "verified"),
            Col("替补", "substitutions", ColumnKind::kInteger), Col("差异", "difference")},
           {}, {}};
  for (const auto& c : a.checks)
    dt.rows.push_back({c.draw_id, c.plan_id, c.state, c.verified ? "MATCH" : "MISMATCH", Cell::Int(c.substitutions), c.difference});
  draws.tables.push_back(std::move(dt));
  r.sections.push_back(std::move(draws));

  Section chain{"chain", T("审计链与名录数据", "The audit chain and the registers"), {}, {}, {}, {}};
  chain.paragraphs.push_back(a.chain.ok ? T("审计链完整：" + N(a.chain.events) + " 条事件逐条核对哈希，无缺失、无篡改、无重排。",
                                            "The audit chain is intact: " + N(a.chain.events) + " events, each hash checked; nothing deleted, edited or reordered.")
                                        : T("审计链断裂：" + a.chain.problem, "The audit chain is broken: " + a.chain.problem));
  Table rt{"rows", T("名录数据核对", "Register rows against the chain"),
           {Col("表", "table"), Col("结果", "result"), Col("行数", "rows", ColumnKind::kInteger),
            Col("复算批次", "batches recomputed", ColumnKind::kInteger), Col("问题", "problems", ColumnKind::kInteger)},
           {}, {}};
  for (const auto& x : a.rows) rt.rows.push_back({x.table, x.ok ? "OK" : "MISMATCH", Cell::Int(x.rows), Cell::Int(x.batches), Cell::Int(x.problems)});
  chain.tables.push_back(std::move(rt));
  r.sections.push_back(std::move(chain));

  Section ev{"events", T("重抽、替补、重新匹配", "Re-draws, substitutions and re-pairings"), {}, {}, {}, {}};
  Table rd{"redraws", T("重抽", "Re-draws"), {Col("抽取", "draw"), Col("取代", "supersedes"), Col("理由", "reason"), Col("承诺时间", "committed")}, {}, {}};
  for (const auto* d : redraws) rd.rows.push_back({d->draw_id, d->supersedes, d->reason, d->committed_at});
  Table st{"substitutions", T("替补", "Substitutions"),
           {Col("抽取", "draw"), Col("换出", "out"), Col("换入", "in"), Col("理由", "reason"), Col("时间", "at")}, {}, {}};
  for (const auto& d : f.draws)
    for (const auto& x : d.substitutions) st.rows.push_back({d.draw_id, x.out_id, x.in_id, x.reason, x.at});
  Table rp{"repairings", T("重新匹配检查人员", "Re-pairings"),
           {Col("抽取", "draw"), Col("匹配次数", "attempts", ColumnKind::kInteger), Col("最后结果", "latest outcome")}, {}, {}};
  for (const auto* d : repaired) rp.rows.push_back({d->draw_id, Cell::Int(d->pairing_attempts), d->pairing_state});
  ev.tables.push_back(std::move(rd));
  ev.tables.push_back(std::move(st));
  ev.tables.push_back(std::move(rp));
  r.sections.push_back(std::move(ev));

  Section pub{"publication", T("逾期公示与更正", "Late publications and corrections"), {}, {}, {}, {}};
  Table lt{"late", T("逾期公示", "Late publications"),
           {Col("记录", "record"), Col("检查对象", "entity"), Col("部门", "department"), Col("应公示截止", "due"), Col("公示日期", "published")},
           {}, T("应自检查结束之日起 20 个工作日内公示。", "Due within 20 working days of the inspection's conclusion.")};
  for (const auto* t : late) lt.rows.push_back({t->result_id, t->entity_name, t->department, t->due_on, t->published_on});
  Table ct{"corrections", T("更正", "Corrections"),
           {Col("记录", "record"), Col("检查对象", "entity"), Col("版本", "version", ColumnKind::kInteger), Col("更正日期", "published"), Col("理由", "reason")},
           {}, {}};
  for (const auto* t : corrected)
    for (const auto& c : t->corrections) ct.rows.push_back({t->result_id, t->entity_name, Cell::Int(c.version), c.published_on, c.reason});
  pub.tables.push_back(std::move(lt));
  pub.tables.push_back(std::move(ct));
  r.sections.push_back(std::move(pub));
  return r;
}

}  // namespace suiji::reports
