#include "api/app/plans.h"

#include "api/app/org_units.h"
#include "data/store/audit_log.h"
#include "data/store/item_store.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace suiji::app {

Result<rules::Plan> CheckPlan(store::Database& db, const RegionTable& regions, const std::string& text,
                              const std::string& label) {
  std::vector<InspectionItem> items;
  if (auto st = store::ItemStore(db).ForEach([&](const InspectionItem& i) {
        items.push_back(i);
        return true;
      });
      !st)
    return st.error();
  rules::PlanCheck check{&regions, &items};
  auto parsed = rules::ParsePlan(text, label, check);
  if (!parsed.ok()) {
    std::string msg = "the plan has " + std::to_string(parsed.errors.size()) + " error(s):";
    for (const auto& e : parsed.errors) msg += "\n  " + e.ToString();
    return Error{"plan.invalid", msg, label};
  }
  // The planning unit is committed into draws: once org units are loaded it must be one of them.
  const std::string what = "plan " + parsed.plan.id + (label.empty() ? "" : " (" + label + ")");
  if (auto st = CheckOrgUnitKnown(db, parsed.plan.org_unit, what); !st) return st.error();
  return parsed.plan;
}

Result<StoredPlan> StorePlan(store::Database& db, const RegionTable& regions, const std::string& text,
                             const std::string& label, const std::string& actor) {
  auto plan = CheckPlan(db, regions, text, label);
  if (!plan) return plan.error();
  StoredPlan out;
  out.plan = std::move(plan).value();
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  store::PlanStore ps(db);
  auto latest = ps.Latest(out.plan.id);  // under the write lock: no concurrent version
  if (!latest) return latest.error();
  if (latest.value() && latest.value()->plan_text == text) {
    out.record = *latest.value();
    return out;
  }
  if (latest.value() && latest.value()->org_unit != out.plan.org_unit)
    return Error{"plan.org_unit",
                 "plan " + out.plan.id + " belongs to org unit " + latest.value()->org_unit +
                     "; a new version cannot move it to " + out.plan.org_unit,
                 "org_unit"};
  out.record.plan_id = out.plan.id;
  out.record.version = latest.value() ? latest.value()->version + 1 : 1;
  out.record.org_unit = out.plan.org_unit;
  out.record.plan_digest = rules::PlanDigest(out.plan);
  out.record.plan_text = text;
  out.record.stored_at = db.Now();
  out.record.stored_by = actor;
  if (auto st = ps.Insert(tx.value(), out.record); !st) return st.error();
  Json payload = {{"plan_id", out.record.plan_id},
                  {"version", out.record.version},
                  {"org_unit", out.record.org_unit},
                  {"plan_digest", out.record.plan_digest}};
  if (auto ev = store::AppendAuditEvent(tx.value(), actor, "plan.store",
                                        "plans/" + out.record.plan_id + "@" + std::to_string(out.record.version), payload);
      !ev)
    return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  out.created = true;
  return out;
}

Result<store::PlanRecord> GetPlan(store::Database& db, const std::string& plan_id, std::int64_t version) {
  store::PlanStore ps(db);
  auto got = version > 0 ? ps.Get(plan_id, version) : ps.Latest(plan_id);
  if (!got) return got.error();
  if (!got.value())
    return Error{"plan.unknown",
                 "no stored plan " + plan_id + (version > 0 ? " version " + std::to_string(version) : std::string()),
                 "plan_id"};
  return *got.value();
}

Result<std::vector<store::PlanRecord>> ListPlans(store::Database& db) { return store::PlanStore(db).ListLatest(); }

}  // namespace suiji::app
