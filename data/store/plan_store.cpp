#include "data/store/plan_store.h"

#include <soci/soci.h>

#include "data/store/soci_rows.h"

namespace suiji::store {
namespace {

constexpr const char* kColumns = "plan_id, version, org_unit, plan_digest, plan_text, stored_at, stored_by";

PlanRecord FromRow(const soci::row& r) {
  return {r.get<std::string>(0), RowInt(r, 1), r.get<std::string>(2), r.get<std::string>(3),
          r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6)};
}

}  // namespace

Status PlanStore::Insert(Transaction& tx, const PlanRecord& p) {
  try {
    PlanRecord v = p;
    long long version = v.version;
    tx.db().session() << "INSERT INTO plans (" << kColumns
                      << ") VALUES (:id, :v, :u, :d, :t, :at, :by)",
        soci::use(v.plan_id, "id"), soci::use(version, "v"), soci::use(v.org_unit, "u"), soci::use(v.plan_digest, "d"),
        soci::use(v.plan_text, "t"), soci::use(v.stored_at, "at"), soci::use(v.stored_by, "by");
    return OkStatus();
  } catch (const std::exception& e) {
    return StoreError("plan.insert", e);
  }
}

Result<std::optional<PlanRecord>> PlanStore::Latest(const std::string& plan_id) {
  auto all = Versions(plan_id);
  if (!all) return all.error();
  if (all->empty()) return std::optional<PlanRecord>();
  return std::optional<PlanRecord>(all->back());
}

Result<std::optional<PlanRecord>> PlanStore::Get(const std::string& plan_id, std::int64_t version) {
  try {
    std::string id = plan_id;
    long long v = version;
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT " << kColumns
                                                         << " FROM plans WHERE plan_id = :id AND version = :v",
                                  soci::use(id, "id"), soci::use(v, "v"));
    for (const auto& r : rs) return std::optional<PlanRecord>(FromRow(r));
    return std::optional<PlanRecord>();
  } catch (const std::exception& e) {
    return StoreError("plan.get", e);
  }
}

Result<std::vector<PlanRecord>> PlanStore::Versions(const std::string& plan_id) {
  try {
    std::string id = plan_id;
    std::vector<PlanRecord> out;
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT " << kColumns
                                                         << " FROM plans WHERE plan_id = :id ORDER BY version",
                                  soci::use(id, "id"));
    for (const auto& r : rs) out.push_back(FromRow(r));
    return out;
  } catch (const std::exception& e) {
    return StoreError("plan.versions", e);
  }
}

Result<std::vector<PlanRecord>> PlanStore::ListLatest() {
  try {
    std::vector<PlanRecord> out;
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT p.plan_id, p.version, p.org_unit, p.plan_digest, '', p.stored_at, p.stored_by "
                                  "FROM plans p WHERE p.version = (SELECT MAX(q.version) FROM plans q "
                                  "WHERE q.plan_id = p.plan_id) ORDER BY p.plan_id");
    for (const auto& r : rs) out.push_back(FromRow(r));
    return out;
  } catch (const std::exception& e) {
    return StoreError("plan.list", e);
  }
}

}  // namespace suiji::store
