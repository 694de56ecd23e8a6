#include "api/rest/services.h"

#include "data/store/org_unit_store.h"

namespace suiji::rest {

Result<DbLease> Services::Lease() { return LeaseFrom(*pool); }
Result<DbLease> Services::PublicLease() { return LeaseFrom(public_pool ? *public_pool : *pool); }

Result<DbLease> Services::LeaseFrom(app::DbPool& from) {
  ++metrics.leases_waiting;
  auto lease = from.Acquire();
  --metrics.leases_waiting;
  if (!lease) return lease.error();
  ++metrics.leases_in_use;
  return DbLease(std::move(lease).value(), &metrics);
}

Result<std::shared_ptr<const OrgUnits>> Services::Units() {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(units_mu_);
    if (units_ && now - units_at_ < std::chrono::seconds(1)) return units_;
  }
  auto db = Lease();
  if (!db) return db.error();
  std::vector<OrgUnit> all;
  store::OrgUnitStore st(*db.value());
  if (auto s = st.ForEach([&](const OrgUnit& u) {
        all.push_back(u);
        return true;
      });
      !s)
    return s.error();
  auto built = OrgUnits::Build(std::move(all));
  // A stored hierarchy the importer would refuse (written around it) scopes nobody: fail closed.
  auto units = built ? std::make_shared<const OrgUnits>(std::move(built).value()) : std::make_shared<const OrgUnits>();
  std::lock_guard lock(units_mu_);
  units_ = units;
  units_at_ = now;
  return units_;
}

}  // namespace suiji::rest
