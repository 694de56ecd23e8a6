#include "api/app/credit.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "data/import/encoding.h"
#include "data/store/audit_log.h"
#include "data/store/draw_store.h"
#include "data/store/entity_store.h"
#include "data/store/inspection_store.h"

namespace suiji::app {
namespace {

constexpr const char* kAdvancedSetting = "credit.lists_advanced_to";

// Every id an entity is known by -> its primary id: the primary id itself, its registration number, and
// ids it had before a re-registration (entity_renames), so records keyed by any of them land on it.
Result<std::unordered_map<std::string, std::string>> EntityIds(store::Database& db) {
  std::unordered_map<std::string, std::string> ids;
  store::EntityStore es(db);
  auto st = es.ForEach([&](const Entity& e) {
    ids.emplace(e.id.value, e.id.value);
    if (!e.regno.empty()) ids.emplace(e.regno, e.id.value);
    return true;
  });
  if (!st) return st.error();
  auto renamed = es.AllRenames();
  if (!renamed) return renamed.error();
  for (auto& [from, to] : renamed.value()) ids.emplace(from, to);
  return ids;
}

// The shared import loop. `write` stores one batch of accepted rows inside the transaction.
// `prepare` (optional) gives the importer what its rows are checked against beyond the register.
template <typename RowT>
Result<RecordImportOutcome> RunImport(
    store::Database& db, const RecordImportOptions& o, const std::string& kind,
    const std::function<Result<store::UpsertCounts>(store::Transaction&, const std::vector<RowT>&)>& write,
    const std::function<Status(import::RecordImporter<RowT>&)>& prepare = {}) {
  auto ids = EntityIds(db);
  if (!ids) return ids.error();
  import::ImportOptions opts;
  auto enc = import::ParseEncoding(o.encoding);
  if (!enc) return enc.error();
  opts.csv.encoding = enc.value();
  const auto& known = ids.value();
  auto imp = import::RecordImporter<RowT>::Open(
      o.path,
      import::ResolveEntity([&known](std::string_view id) -> std::optional<std::string> {
        auto it = known.find(std::string(id));
        if (it == known.end()) return std::nullopt;
        return it->second;
      }),
      opts);
  if (!imp) return imp.error();
  auto& importer = imp.value();
  if (prepare)
    if (auto st = prepare(importer); !st) return st.error();
  if (o.on_header) o.on_header(importer.columns());
  if (o.on_reject) importer.OnReject(o.on_reject);

  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  RecordImportOutcome out;
  out.kind = kind;
  std::vector<RowT> batch;
  std::optional<Error> write_error;
  while (importer.NextBatch(batch, o.batch)) {
    // All or nothing: once a row has failed there is no point writing more.
    if (write_error || (!o.skip_invalid && importer.report().rows_rejected > 0)) continue;
    auto c = write(tx.value(), batch);
    if (!c) write_error = c.error();
    else out.counts += c.value();
  }
  out.report = importer.report();
  if (write_error) return *write_error;
  if (out.report.rows_rejected > 0 && !o.skip_invalid) {
    tx.value().Rollback();
    out.counts = {};
    return out;
  }
  Json summary = {{"file", o.path},
                  {"rows_read", out.report.rows_read},
                  {"rows_valid", out.report.rows_valid},
                  {"rows_rejected", out.report.rows_rejected},
                  {"inserted", out.counts.inserted},
                  {"updated", out.counts.updated},
                  {"unchanged", out.counts.unchanged}};
  if (auto ev = store::AppendAuditEvent(tx.value(), o.actor, "import." + kind, kind, summary); !ev) return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  out.committed = true;
  return out;
}

Result<Date> DateOf(const std::string& text, const std::string& what) {
  auto d = ParseDate(text);
  if (!d) return Error{"credit.date", what + ": '" + text + "' is not a date: " + d.error().message, what};
  return d.value();
}

Result<double> NumberOf(const std::string& text, const std::string& what) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size())
    return Error{"credit.number", what + ": '" + text + "' is not a number", what};
  return v;
}

Result<credit::ListMembership> ToMembership(const store::ListMembershipRecord& r) {
  credit::ListMembership m;
  m.id = r.id;
  m.entity_id = r.entity_id;
  auto kind = rules::ParseListKind(r.list);
  if (!kind) return Error{"credit.list", "list membership " + r.id + ": unknown list '" + r.list + "'", "list"};
  m.list = *kind;
  m.reason = r.reason;
  auto listed = DateOf(r.listed_on, "list membership " + r.id + " listed_on");
  if (!listed) return listed.error();
  m.listed = listed.value();
  m.authority = r.authority;
  if (!r.cause_fixed_on.empty()) {
    auto d = DateOf(r.cause_fixed_on, "list membership " + r.id + " cause_fixed_on");
    if (!d) return d.error();
    m.cause_fixed = d.value();
  }
  if (!r.removed_on.empty()) {
    auto d = DateOf(r.removed_on, "list membership " + r.id + " removed_on");
    if (!d) return d.error();
    m.removal = credit::Removal{d.value(), r.removal_reason, r.removal_authority};
  }
  m.moved_from = r.moved_from;
  return m;
}

store::ListMembershipRecord FromMembership(const credit::ListMembership& m) {
  store::ListMembershipRecord r;
  r.id = m.id;
  r.entity_id = m.entity_id;
  r.list = rules::ListKindName(m.list);
  r.reason = m.reason;
  r.listed_on = FormatDate(m.listed);
  r.authority = m.authority;
  if (m.cause_fixed) r.cause_fixed_on = FormatDate(*m.cause_fixed);
  if (m.removal) {
    r.removed_on = FormatDate(m.removal->date);
    r.removal_reason = m.removal->reason;
    r.removal_authority = m.removal->authority;
  }
  r.moved_from = m.moved_from;
  return r;
}

Result<credit::Penalty> ToPenalty(const store::PenaltyRecord& r) {
  credit::Penalty p;
  p.entity_id = r.entity_id;
  p.decision_no = r.decision_no;
  auto d = DateOf(r.decided_on, "penalty " + r.decision_no + " decided_on");
  if (!d) return d.error();
  p.date = d.value();
  p.type = r.penalty_type;
  auto a = NumberOf(r.amount, "penalty " + r.decision_no + " amount");
  if (!a) return a.error();
  p.amount_yuan = a.value();
  p.authority = r.department;
  return p;
}

Result<credit::InspectionResult> ToInspection(const store::Inspection& i) {
  auto d = DateOf(i.inspected_on, "inspection of " + i.entity_id + " inspected_on");
  if (!d) return d.error();
  return credit::InspectionResult{i.entity_id, d.value(), i.department, "", CreditOutcome(i.result), 0};
}

// Loads every value of a repository (or of one entity) through `convert`.
template <typename Store, typename Value, typename Out, typename Convert>
Status Collect(Store& s, const std::string& entity_id, std::vector<Out>& out, Convert convert) {
  std::optional<Error> bad;
  auto take = [&](const Value& v) {
    auto c = convert(v);
    if (!c) {
      bad = c.error();
      return false;
    }
    out.push_back(std::move(c).value());
    return true;
  };
  if (entity_id.empty()) {
    if (auto st = s.ForEach(take); !st) return st.error();
  } else {
    auto rows = s.ForEntity(entity_id);
    if (!rows) return rows.error();
    for (const auto& v : rows.value())
      if (!take(v)) break;
  }
  if (bad) return *bad;
  return OkStatus();
}

Result<std::vector<credit::ListMembership>> LoadMemberships(store::Database& db, const std::string& entity_id = "") {
  store::ListMembershipStore s(db);
  std::vector<credit::ListMembership> out;
  if (auto st = Collect<store::ListMembershipStore, store::ListMembershipRecord>(s, entity_id, out, ToMembership); !st)
    return st.error();
  return out;
}

Result<std::vector<credit::Penalty>> LoadPenalties(store::Database& db, const std::string& entity_id = "") {
  store::PenaltyStore s(db);
  std::vector<credit::Penalty> out;
  if (auto st = Collect<store::PenaltyStore, store::PenaltyRecord>(s, entity_id, out, ToPenalty); !st) return st.error();
  return out;
}

Result<std::vector<credit::InspectionResult>> LoadInspections(store::Database& db, const std::string& entity_id = "") {
  store::InspectionStore s(db);
  std::vector<credit::InspectionResult> out;
  if (auto st = Collect<store::InspectionStore, store::Inspection>(s, entity_id, out, ToInspection); !st)
    return st.error();
  return out;
}

Result<store::CreditRunRecord> MustRun(store::CreditRunStore& rs, const std::string& date) {
  auto run = rs.RunAsOf(date);
  if (!run) return run.error();
  if (!run.value())
    return Error{"credit_run.none", "no scoring run as of " + date + ": run `suiji credit score` first", "as_of"};
  return *run.value();
}

}  // namespace

// ---- Imports ------------------------------------------------------------------------------------------------

Result<RecordImportOutcome> ImportResults(store::Database& db, const RecordImportOptions& o) {
  return RunImport<import::ResultRow>(
      db, o, "results", [&](store::Transaction& tx, const std::vector<import::ResultRow>& rows) {
        std::vector<store::Inspection> v;
        v.reserve(rows.size());
        for (const auto& r : rows) v.push_back({r.entity_id, r.department, r.inspected_on, r.result, r.officers, r.plan_id});
        return store::InspectionStore(db).Upsert(tx, v, o.actor);
      });
}

Result<RecordImportOutcome> ImportPenalties(store::Database& db, const RecordImportOptions& o) {
  return RunImport<import::PenaltyRow>(
      db, o, "penalties", [&](store::Transaction& tx, const std::vector<import::PenaltyRow>& rows) {
        std::vector<store::PenaltyRecord> v;
        v.reserve(rows.size());
        for (const auto& r : rows)
          v.push_back({r.decision_no, r.entity_id, r.department, r.penalty_type, r.decided_on, r.amount, r.legal_basis});
        return store::PenaltyStore(db).Upsert(tx, v, o.actor);
      });
}

Result<RecordImportOutcome> ImportListDecisions(store::Database& db, const RecordImportOptions& o) {
  return RunImport<import::ListDecisionRow>(
      db, o, "lists", [&](store::Transaction& tx, const std::vector<import::ListDecisionRow>& rows) -> Result<store::UpsertCounts> {
        store::ListMembershipStore s(db);
        std::vector<store::ListMembershipRecord> v;
        v.reserve(rows.size());
        for (const auto& r : rows) {
          store::ListMembershipRecord m{r.id,        r.entity_id,      r.list,           r.reason,
                                        r.listed_on, r.authority,      r.cause_fixed_on, r.removed_on,
                                        r.removal_reason, r.removal_authority, ""};
          // A listing file does not undo what the list rules or a removal decision already did: an
          // empty removal keeps the stored one (a different one is refused by SaveMemberships).
          auto old = s.Get(r.id);
          if (!old) return old.error();
          if (old.value()) {
            const auto& was = *old.value();
            m.moved_from = was.moved_from;
            if (m.removed_on.empty()) {
              m.removed_on = was.removed_on;
              m.removal_reason = was.removal_reason;
              m.removal_authority = was.removal_authority;
            }
            if (m.cause_fixed_on.empty()) m.cause_fixed_on = was.cause_fixed_on;
          }
          v.push_back(std::move(m));
        }
        return s.SaveMemberships(tx, v, o.actor);
      });
}

Result<RecordImportOutcome> ImportExternal(store::Database& db, const RecordImportOptions& o) {
  return RunImport<import::ExternalRow>(
      db, o, "external", [&](store::Transaction& tx, const std::vector<import::ExternalRow>& rows) {
        std::vector<store::ExternalIndicatorRecord> v;
        v.reserve(rows.size());
        for (const auto& r : rows) v.push_back({r.entity_id, r.source, r.name, r.as_of, r.value});
        return store::ExternalIndicatorStore(db).Upsert(tx, v, o.actor);
      });
}

Result<RecordImportOutcome> ImportAnnualReports(store::Database& db, const RecordImportOptions& o) {
  return RunImport<import::AnnualReportRow>(
      db, o, "annual_reports", [&](store::Transaction& tx, const std::vector<import::AnnualReportRow>& rows) {
        std::vector<store::AnnualReportRecord> v;
        v.reserve(rows.size());
        for (const auto& r : rows) v.push_back({r.entity_id, r.year, r.filed_on});
        return store::AnnualReportStore(db).Upsert(tx, v, o.actor);
      });
}

Result<RecordImportOutcome> ImportRepairs(store::Database& db, const RecordImportOptions& o) {
  std::function<Status(import::RepairImporter&)> prepare = [&db](import::RepairImporter& imp) -> Status {
    std::vector<import::MembershipRef> refs;
    auto st = store::ListMembershipStore(db).ForEach([&](const store::ListMembershipRecord& m) {
      refs.push_back({m.id, m.entity_id, m.list, m.listed_on, m.removed_on});
      return true;
    });
    if (!st) return st.error();
    imp.UseMemberships(std::move(refs));
    return OkStatus();
  };
  return RunImport<import::RepairRow>(
      db, o, "repairs",
      [&](store::Transaction& tx, const std::vector<import::RepairRow>& rows) {
        std::vector<store::RepairRecord> v;
        v.reserve(rows.size());
        for (const auto& r : rows)
          v.push_back({r.decision_no, r.membership_id, r.entity_id, r.list, r.decided_on, r.authority, r.outcome, r.reason});
        return store::RepairStore(db).Upsert(tx, v, o.actor);
      },
      prepare);
}

Result<RecordImportOutcome> ImportComplaints(store::Database& db, const RecordImportOptions& o) {
  return RunImport<import::ComplaintRow>(
      db, o, "complaints", [&](store::Transaction& tx, const std::vector<import::ComplaintRow>& rows) {
        std::vector<store::ComplaintRecord> v;
        v.reserve(rows.size());
        for (const auto& r : rows)
          v.push_back({r.reference_no, r.entity_id, r.received_on, r.substantiated, r.concluded_on, r.source, r.department});
        return store::ComplaintStore(db).Upsert(tx, v, o.actor);
      });
}

// ---- Records -------------------------------------------------------------------------------------------------

std::string CreditOutcome(const std::string& result) {
  if (result == "problem" || result == "problem_corrected") return "problem";
  if (result == "not_found") return "not_found";
  if (result == "no_problem") return "no_problem";
  return "other";
}

Result<CreditData> LoadCreditData(store::Database& db, const std::string& entity_id) {
  CreditData d;
  store::EntityStore es(db);
  if (entity_id.empty()) {
    if (auto st = es.ForEach([&](const Entity& e) {
          d.entities.push_back(e);
          return true;
        });
        !st)
      return st.error();
  } else {
    auto e = es.Get(entity_id);
    if (!e) return e.error();
    if (!e.value()) return Error{"credit.unknown_entity", "no entity " + entity_id + " in the register", "entity_id"};
    d.entities.push_back(*e.value());
  }
  auto ins = LoadInspections(db, entity_id);
  if (!ins) return ins.error();
  d.records.inspections = std::move(ins).value();
  auto pens = LoadPenalties(db, entity_id);
  if (!pens) return pens.error();
  d.records.penalties = std::move(pens).value();
  auto lists = LoadMemberships(db, entity_id);
  if (!lists) return lists.error();
  d.records.lists = std::move(lists).value();

  store::ExternalIndicatorStore xs(db);
  auto to_ext = [](const store::ExternalIndicatorRecord& r) -> Result<credit::ExternalIndicator> {
    auto d = DateOf(r.as_of, "external " + r.source + "." + r.name + " of " + r.entity_id);
    if (!d) return d.error();
    auto v = NumberOf(r.value, "external " + r.source + "." + r.name + " of " + r.entity_id);
    if (!v) return v.error();
    return credit::ExternalIndicator{r.entity_id, r.source, r.name, v.value(), d.value()};
  };
  if (auto st = Collect<store::ExternalIndicatorStore, store::ExternalIndicatorRecord>(xs, entity_id, d.records.external, to_ext); !st)
    return st.error();

  // A complaint counts once its finding is known: from its conclusion, else from its receipt.
  store::ComplaintStore cs(db);
  auto to_complaint = [](const store::ComplaintRecord& r) -> Result<credit::Complaint> {
    const std::string& day = r.concluded_on.empty() ? r.received_on : r.concluded_on;
    auto d = DateOf(day, "complaint " + r.reference_no + " of " + r.entity_id);
    if (!d) return d.error();
    return credit::Complaint{r.entity_id, d.value(), r.substantiated == "yes"};
  };
  if (auto st = Collect<store::ComplaintStore, store::ComplaintRecord>(cs, entity_id, d.records.complaints, to_complaint); !st)
    return st.error();

  store::AnnualReportStore as(db);
  std::optional<Error> bad;
  auto take = [&](const store::AnnualReportRecord& r) {
    if (!entity_id.empty() && r.entity_id != entity_id) return true;
    auto f = DateOf(r.filed_on, "annual report " + r.report_year + " of " + r.entity_id);
    int year = 0;
    auto [p, ec] = std::from_chars(r.report_year.data(), r.report_year.data() + r.report_year.size(), year);
    if (!f || ec != std::errc()) {
      bad = f ? Error{"credit.number", "annual report year '" + r.report_year + "' of " + r.entity_id, "report_year"}
              : f.error();
      return false;
    }
    d.records.annual_reports.push_back({r.entity_id, year, f.value()});
    return true;
  };
  if (auto st = as.ForEach(take); !st) return st.error();
  if (bad) return *bad;
  return d;
}

// ---- Scores ------------------------------------------------------------------------------------------------------

Result<ScoreOutcome> ScoreRegister(store::Database& db, const rules::CreditModel& model, Date as_of,
                                   const std::string& actor) {
  auto data = LoadCreditData(db);
  if (!data) return data.error();
  ScoreOutcome out;
  if (data->entities.empty())
    return Error{"credit.empty_register", "the register holds no entities: import entities first", ""};
  auto names = model.IndicatorNames();
  bool reads_reports = std::any_of(names.begin(), names.end(), [](const std::string& n) {
    return n.starts_with("annual_reports_");
  });
  if (reads_reports && data->records.annual_reports.empty())
    out.warnings.push_back(
        "the model reads annual reports but none are stored: every due report counts as missing "
        "(import them with `suiji import annual-reports FILE`)");
  bool reads_complaints = std::find(names.begin(), names.end(), "complaints_1y") != names.end();
  if (reads_complaints && data->records.complaints.empty())
    out.warnings.push_back(
        "the model reads complaints_1y but no complaints are stored: it is 0 for every entity "
        "(import them with `suiji import complaints FILE`)");
  auto matrix = credit::AssembleIndicators(data->entities, data->records, names, as_of);
  if (!matrix) return matrix.error();
  auto scores = credit::ScoreAll(model, matrix.value());
  if (!scores) return scores.error();
  const auto& m = matrix.value();
  std::vector<std::size_t> order(m.rows());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return m.entity_ids[a] < m.entity_ids[b]; });
  std::vector<store::CreditScoreRecord> rows;
  rows.reserve(order.size());
  for (std::size_t i : order)
    rows.push_back({m.entity_ids[i], credit::ExactDecimal(scores->scores[static_cast<Eigen::Index>(i)]),
                    rules::RiskClassName(scores->classes[i]), credit::InputDigest(m, i)});
  store::CreditRunRecord run;
  run.model_id = model.id;
  run.model_version = model.version;
  run.model_digest = model.digest;
  run.as_of = FormatDate(as_of);
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  auto stored = store::CreditRunStore(db).InsertRun(tx.value(), run, rows, actor);
  if (!stored) return stored.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  out.run = std::move(stored).value();
  return out;
}

Result<ExplainOutcome> ExplainEntity(store::Database& db, const rules::CreditModel& model, const std::string& entity_id,
                                     Date as_of) {
  store::CreditRunStore rs(db);
  ExplainOutcome out;
  auto run = rs.RunAsOf(FormatDate(as_of));
  if (!run) return run.error();
  out.run = run.value();
  Date at = as_of;
  if (out.run) {
    auto d = DateOf(out.run->as_of, "run " + out.run->run_id + " as_of");
    if (!d) return d.error();
    at = d.value();
  }
  auto data = LoadCreditData(db, entity_id);
  if (!data) return data.error();
  auto matrix = credit::AssembleIndicators(data->entities, data->records, model.IndicatorNames(), at);
  if (!matrix) return matrix.error();
  auto e = credit::Explain(model, matrix.value(), 0);
  if (!e) return e.error();
  out.explanation = std::move(e).value();
  if (!out.run) {
    out.note = "no scoring run as of " + FormatDate(as_of) + ": computed now, not stored";
    return out;
  }
  auto stored = rs.Score(out.run->run_id, entity_id);
  if (!stored) return stored.error();
  out.stored = stored.value();
  const auto& x = out.explanation;
  if (!out.stored) {
    out.note = "run " + out.run->run_id + " (as of " + out.run->as_of + ") did not score this entity: computed now";
  } else if (out.run->model_digest != model.digest) {
    out.note = "run " + out.run->run_id + " used model digest " + out.run->model_digest.substr(0, 12) +
               "..., this explanation uses " + model.digest.substr(0, 12) + "...: pass that run's model file";
  } else if (out.stored->input_digest != x.input_digest) {
    out.note = "the records changed since run " + out.run->run_id + " (input digest " +
               out.stored->input_digest.substr(0, 12) + "... then, " + x.input_digest.substr(0, 12) +
               "... now): stored class " + out.stored->cls + ", recomputed " + x.class_label;
  } else if (out.stored->score != credit::ExactDecimal(x.score) || out.stored->cls != rules::RiskClassName(x.cls)) {
    out.note = "run " + out.run->run_id + " stored score " + out.stored->score + " class " + out.stored->cls +
               " but the same inputs give " + credit::ExactDecimal(x.score) + ": the stored score was altered";
  } else {
    out.matches_stored = true;
    out.note = "matches the stored score of run " + out.run->run_id + " exactly (same model, same inputs)";
  }
  return out;
}

Result<BacktestOutcome> BacktestRun(store::Database& db, std::optional<Date> as_of, std::optional<Date> from,
                                    std::optional<Date> to) {
  store::CreditRunStore rs(db);
  auto run = MustRun(rs, as_of ? FormatDate(*as_of) : std::string("9999-12-31"));
  if (!run) return run.error();
  auto run_as_of = DateOf(run->as_of, "run " + run->run_id + " as_of");
  if (!run_as_of) return run_as_of.error();
  Date f = from ? *from : run_as_of.value() + 1;
  Date t = to ? *to : AddYears(run_as_of.value(), 1);
  if (t < f) return Error{"credit.window", "the back-test window ends (" + FormatDate(t) + ") before it starts (" + FormatDate(f) + ")", "to"};
  auto scores = rs.Scores(run->run_id);
  if (!scores) return scores.error();
  std::vector<credit::ClassedEntity> classes;
  classes.reserve(scores->size());
  for (const auto& s : scores.value()) {
    auto c = rules::ParseRiskClass(s.cls);
    if (!c) return Error{"credit_run.class", "score of " + s.entity_id + " has class '" + s.cls + "'", "class"};
    classes.push_back({s.entity_id, *c});
  }
  auto ins = LoadInspections(db);
  if (!ins) return ins.error();
  BacktestOutcome out{run.value(), credit::RunBacktest(classes, ins.value(), f, t)};
  return out;
}

// ---- Lists and flags ----------------------------------------------------------------------------------------------

Result<FlagsOutcome> UpdateFlags(store::Database& db, const rules::Memoranda& memoranda, const rules::ListRules& rules,
                                 Date as_of, const std::string& actor) {
  store::DrawStore settings(db);
  auto advanced = settings.GetSetting(kAdvancedSetting);
  if (!advanced) return advanced.error();
  auto memberships = LoadMemberships(db);
  if (!memberships) return memberships.error();
  auto penalties = LoadPenalties(db);
  if (!penalties) return penalties.error();
  std::vector<store::RepairRecord> repairs;
  if (auto st = store::RepairStore(db).ForEach([&](const store::RepairRecord& r) {
        repairs.push_back(r);
        return true;
      });
      !st)
    return st.error();

  // The whole history is recomputed from before the earliest record; only what is not stored yet is
  // written. So a record that arrives late still gets its events, dated when they happened.
  Date first = as_of;
  for (const auto& m : memberships.value()) first = std::min(first, m.listed);
  for (const auto& p : penalties.value()) first = std::min(first, p.date);
  std::vector<credit::RepairDecision> granted;
  std::vector<std::pair<const store::RepairRecord*, Date>> refused;
  for (const auto& r : repairs) {
    auto d = DateOf(r.decided_on, "repair " + r.decision_no + " decided_on");
    if (!d) return d.error();
    first = std::min(first, d.value());
    if (r.outcome == "refused") refused.emplace_back(&r, d.value());
    else granted.push_back({r.membership_id, d.value(), r.authority, r.reason});
  }
  const Date origin = first + (-1);

  FlagsOutcome out;
  out.to = as_of;
  std::string planned_after;  // stored flag ends after this date are plans (see FlagStore::SaveFlags)
  if (advanced.value()) {
    auto d = DateOf(*advanced.value(), kAdvancedSetting);
    if (!d) return d.error();
    out.from = d.value();
    planned_after = *advanced.value();
    if (as_of < out.from)
      return Error{"credit.lists_behind",
                   "the lists were already advanced to " + *advanced.value() + "; " + FormatDate(as_of) +
                       " is earlier and the stored memberships already reflect the later date",
                   "as_of"};
  } else {
    out.from = origin;
  }
  auto adv = credit::AdvanceLists(memberships.value(), granted, rules, origin, out.to);
  if (!adv) return adv.error();

  // List events: the rules' own, with the decision that a refusal answers; the authority's refusals.
  std::map<std::pair<std::string, Date>, std::vector<const store::RepairRecord*>> granted_on;
  for (const auto& r : repairs)
    if (r.outcome != "refused") granted_on[{r.membership_id, ParseDate(r.decided_on).value()}].push_back(&r);
  std::unordered_map<std::string, const credit::ListMembership*> by_id;
  for (const auto& m : adv->memberships) by_id.emplace(m.id, &m);
  std::vector<credit::ListEvent> events;
  for (auto e : adv->events) {
    if (e.kind == credit::ListEventKind::kRepairRefused) {
      auto it = granted_on.find({e.membership_id, e.date});
      std::string who;
      if (it != granted_on.end())
        for (const auto* r : it->second) who += (who.empty() ? "" : ", ") + r->decision_no + " (" + r->authority + ")";
      if (!who.empty()) e.detail = "信用修复申请 " + who + " 未准予: " + e.detail;
    }
    events.push_back(std::move(e));
  }
  for (const auto& [r, decided] : refused) {
    if (decided > out.to) continue;
    auto it = by_id.find(r->membership_id);
    if (it == by_id.end())
      return Error{"credit.repair_membership",
                   "repair " + r->decision_no + " names membership " + r->membership_id + ", which is not stored",
                   "membership_id"};
    const auto& m = *it->second;
    events.push_back({credit::ListEventKind::kRepairRefused, decided, m.id, m.entity_id, m.list,
                      "不予信用修复 " + r->decision_no + " (" + r->authority + "): " + r->reason});
  }
  // Two events with one key (membership, kind, date), e.g. two refusals on one day, become one.
  std::sort(events.begin(), events.end(), [](const credit::ListEvent& a, const credit::ListEvent& b) {
    return std::tuple(a.date, a.membership_id, static_cast<int>(a.kind)) <
           std::tuple(b.date, b.membership_id, static_cast<int>(b.kind));
  });
  std::vector<credit::ListEvent> merged;
  for (auto& e : events) {
    if (!merged.empty() && merged.back().date == e.date && merged.back().membership_id == e.membership_id &&
        merged.back().kind == e.kind) {
      if (merged.back().detail != e.detail) merged.back().detail += "; " + e.detail;
      continue;
    }
    merged.push_back(std::move(e));
  }

  // A granted repair that arrived after the membership's recorded end (which it would have preempted).
  for (const auto& r : repairs) {
    if (r.outcome == "refused") continue;
    auto it = by_id.find(r.membership_id);
    if (it == by_id.end() || !it->second->removal) continue;
    const auto& m = *it->second;
    Date decided = ParseDate(r.decided_on).value();
    bool allowed = decided >= m.listed &&
                   (m.list == credit::ListKind::kAbnormal || decided >= AddYears(m.listed, rules.repair_min_years));
    if (allowed && decided < m.removal->date && decided <= out.to)
      out.warnings.push_back("repair " + r.decision_no + " of membership " + m.id + " (decided " + r.decided_on +
                             ") arrived after the membership's end was recorded on " + FormatDate(m.removal->date) +
                             " (" + m.removal->reason + "): the recorded end stands");
  }

  std::set<std::tuple<std::string, std::string, std::string>> stored_events;
  if (auto st = store::ListEventStore(db).ForEach([&](const store::ListEventRecord& e) {
        stored_events.emplace(e.membership_id, e.kind, e.event_on);
        return true;
      });
      !st)
    return st.error();
  std::vector<store::ListEventRecord> erows;
  for (const auto& e : merged) {
    store::ListEventRecord row{e.membership_id, credit::ListEventKindName(e.kind), FormatDate(e.date), e.entity_id,
                               rules::ListKindName(e.list), e.detail};
    if (stored_events.count({row.membership_id, row.kind, row.event_on})) continue;
    erows.push_back(std::move(row));
    out.list_events.push_back(e);
  }

  auto flags = credit::ComputeFlags(memoranda, adv->memberships, penalties.value(), origin, out.to);
  if (!flags) return flags.error();
  // An end that has taken effect (on or before the last advanced date) is never moved: keep it, and
  // drop the lift request the late record would produce on another date.
  std::unordered_map<std::string, std::string> stored_ends;
  if (auto st = store::FlagStore(db).ForEach([&](const store::FlagRecord& f) {
        if (!f.end_on.empty()) stored_ends.emplace(f.flag_id, f.end_on);
        return true;
      });
      !st)
    return st.error();
  std::set<std::pair<std::string, Date>> dropped_lifts;
  std::vector<store::FlagRecord> frows;
  std::vector<credit::Flag> computed = flags->flags;
  for (auto& f : computed) {
    auto it = stored_ends.find(f.id);
    if (it != stored_ends.end() && !planned_after.empty() && it->second <= planned_after) {
      std::string now = f.end ? FormatDate(*f.end) : std::string();
      if (now != it->second) {
        if (f.end) dropped_lifts.emplace(f.id, *f.end);
        out.warnings.push_back("flag " + f.id + " (" + f.measure + ", " + f.entity_id + ") ended on " + it->second +
                               "; the records now end it " + (now.empty() ? "later" : "on " + now) +
                               ": the recorded end stands");
        f.end = ParseDate(it->second).value();
      }
    }
    frows.push_back({f.id, f.entity_id, f.memorandum_id, f.memorandum_title, f.document, f.measure_id, f.measure,
                     f.department, f.legal_basis, f.trigger, f.trigger_id, FormatDate(f.start),
                     f.end ? FormatDate(*f.end) : std::string()});
  }
  // Feedback already stored keeps its department's answer; a flag event is new when its request is.
  std::set<std::tuple<std::string, std::string, std::string>> stored_feedback;
  store::FlagFeedbackStore fbs(db);
  if (auto st = fbs.ForEach([&](const store::FlagFeedbackRecord& r) {
        stored_feedback.emplace(r.flag_id, r.action, r.event_on);
        return true;
      });
      !st)
    return st.error();
  auto is_new = [&](const std::string& flag_id, const std::string& action, Date d) {
    if (action == "lift" && dropped_lifts.count({flag_id, d})) return false;
    return !stored_feedback.count({flag_id, action, FormatDate(d)});
  };
  for (const auto& e : flags->events)
    if (is_new(e.flag_id, e.kind == credit::FlagEventKind::kStarted ? "apply" : "lift", e.date))
      out.flag_events.push_back(e);
  std::vector<store::FlagFeedbackRecord> fbrows;
  for (const auto& b : flags->feedback) {
    if (!is_new(b.flag_id, b.action, b.date)) continue;
    out.feedback.push_back(b);
    fbrows.push_back({b.flag_id, b.action, FormatDate(b.date), b.department, b.entity_id, b.measure, b.legal_basis, b.status});
  }

  std::vector<store::ListMembershipRecord> mrows;
  for (const auto& m : adv->memberships) mrows.push_back(FromMembership(m));

  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  auto mc = store::ListMembershipStore(db).SaveMemberships(tx.value(), mrows, actor);
  if (!mc) return mc.error();
  out.memberships = mc.value();
  if (auto c = store::ListEventStore(db).Upsert(tx.value(), erows, actor); !c) return c.error();
  auto fc = store::FlagStore(db).SaveFlags(tx.value(), frows, actor, planned_after);
  if (!fc) return fc.error();
  out.flags = fc.value();
  if (auto c = fbs.Upsert(tx.value(), fbrows, actor); !c) return c.error();
  if (auto st = settings.PutSetting(tx.value(), kAdvancedSetting, FormatDate(as_of)); !st) return st.error();
  Json summary = {{"from", FormatDate(out.from)},
                  {"to", FormatDate(out.to)},
                  {"memoranda_digest", memoranda.digest},
                  {"repairs", static_cast<std::int64_t>(repairs.size())},
                  {"list_events", static_cast<std::int64_t>(out.list_events.size())},
                  {"flag_events", static_cast<std::int64_t>(out.flag_events.size())},
                  {"flags", static_cast<std::int64_t>(frows.size())},
                  {"warnings", out.warnings}};
  if (auto ev = store::AppendAuditEvent(tx.value(), actor, "credit.flags", "flags", summary); !ev) return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  auto active = store::FlagStore(db).ActiveOn(FormatDate(as_of));
  if (!active) return active.error();
  out.active = std::move(active).value();
  return out;
}

// ---- Classes for draws -----------------------------------------------------------------------------------------

std::string Classification::Describe(Date as_of) const {
  if (!run) return "none: no credit classification stored as of " + FormatDate(as_of) + ", every entity unclassified";
  return "run " + run->run_id + " model " + run->model_id + " version " + run->model_version + " digest " +
         run->model_digest + " as_of " + run->as_of;
}

Result<Classification> ClassificationOfRun(store::Database& db, const std::string& run_id) {
  Classification c;
  if (run_id.empty()) return c;
  store::CreditRunStore rs(db);
  auto run = rs.GetRun(run_id);
  if (!run) return run.error();
  if (!run.value()) return Error{"credit_run.unknown", "no scoring run " + run_id, "run_id"};
  c.run = run.value();
  auto classes = rs.ClassesOfRun(run_id);
  if (!classes) return classes.error();
  c.classes = std::move(classes).value();
  return c;
}

Result<Classification> ClassificationAsOf(store::Database& db, Date as_of) {
  store::CreditRunStore rs(db);
  auto run = rs.RunAsOf(FormatDate(as_of));
  if (!run) return run.error();
  if (!run.value()) return Classification{};
  return ClassificationOfRun(db, run.value()->run_id);
}

}  // namespace suiji::app
