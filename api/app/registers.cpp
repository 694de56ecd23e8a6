#include "api/app/registers.h"

#include <algorithm>
#include <optional>

#include "data/import/prefetcher.h"
#include "data/store/audit_log.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "data/store/org_unit_store.h"

namespace suiji::app {

bool ParseRegister(const std::string& name, Register* out) {
  for (Register r : {Register::kEntities, Register::kOfficers, Register::kItems, Register::kOrgUnits})
    if (name == RegisterName(r)) {
      *out = r;
      return true;
    }
  return false;
}

const char* RegisterName(Register r) {
  switch (r) {
    case Register::kEntities: return "entities";
    case Register::kOfficers: return "officers";
    case Register::kItems: return "items";
    case Register::kOrgUnits: return "org-units";
  }
  return "?";
}

namespace {

// `open` is a generic lambda: open.operator()<Value>(regions, options) makes the importer.
template <typename Store, typename Value, typename Open>
Result<RegisterImport> Run(store::Database& db, const RegionTable& regions, const std::string& kind,
                           const RegisterImportOptions& o, Open open) {
  import::ImportOptions opts = o.import;
  if constexpr (std::is_same_v<Value, Officer> || std::is_same_v<Value, OrgUnit>) {
    auto units = store::OrgUnitStore(db).All();
    if (!units) return units.error();
    opts.org_units = std::move(units).value();
  }
  Result<import::Importer<Value>> imp = open.template operator()<Value>(regions, opts);
  if (!imp) return imp.error();
  auto& importer = imp.value();
  if (o.on_header) o.on_header(importer.header().columns);
  if (o.on_reject) importer.OnReject(o.on_reject);

  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  Store store(db);
  RegisterImport out;
  std::optional<Error> write_error;
  {
    // In all-or-nothing mode there is no point preparing or writing once a row has failed; the reader
    // goes on so the report is complete.
    const bool stop_early = !o.skip_invalid;
    import::Prefetcher<Value, store::PreparedRows> reader(
        importer, o.batch, 1000, 1,
        [&](std::vector<Value>&& values, store::PreparedRows& into) {
          if (stop_early && importer.report().rows_rejected > 0) return;
          store.PrepareChunk(std::move(values), into);
        },
        [&](store::PreparedRows& batch) { (void)store.FinishPrepare(batch); });  // an error stays in batch.error
    typename import::Prefetcher<Value, store::PreparedRows>::Batch batch;
    while (reader.Next(batch)) {
      if (o.on_progress) o.on_progress(batch.rows_read);
      if (write_error || (!o.skip_invalid && batch.rows_rejected > 0)) continue;
      if constexpr (std::is_same_v<Store, store::EntityStore>) {
        if (!batch.values.error) {  // a bad batch fails in Upsert with its own error
          auto rr = store.Reregister(tx.value(), batch.values, o.actor);
          if (!rr) {
            write_error = rr.error();
            continue;
          }
          for (auto& r : rr.value()) out.reregistered.push_back(std::move(r));
        }
      }
      auto c = store.Upsert(tx.value(), batch.values, o.actor);
      if (!c) write_error = c.error();
      else out.counts += c.value();
      reader.Recycle(std::move(batch.values));
    }
  }
  out.report = importer.report();
  if (write_error) return Error{write_error->code, "nothing imported: " + write_error->message, write_error->field};
  if (out.report.rows_rejected > 0 && !o.skip_invalid) {
    tx.value().Rollback();
    return out;  // committed == false
  }
  for (const auto& r : out.reregistered) out.rekeyed += r.conflict.empty() ? 1 : 0;
  const auto& rep = out.report;
  Json summary = {{"file", o.source_label},       {"rows_read", rep.rows_read},     {"rows_valid", rep.rows_valid},
                  {"rows_rejected", rep.rows_rejected}, {"inserted", out.counts.inserted},
                  {"updated", out.counts.updated}, {"unchanged", out.counts.unchanged}};
  if (!out.reregistered.empty()) summary["reregistered"] = out.rekeyed;
  std::string noun = kind;  // "org-units" -> "org_units": audit actions are words joined by '_'
  std::replace(noun.begin(), noun.end(), '-', '_');
  if (auto ev = store::AppendAuditEvent(tx.value(), o.actor, "import." + noun, noun, summary); !ev) return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  out.committed = true;
  // A bulk load leaves the planner without statistics until autovacuum comes round; a quick sampled
  // ANALYZE. Best effort: the data is committed.
  if (out.counts.inserted >= 10000) (void)store.Analyze();
  return out;
}

template <typename Open>
Result<RegisterImport> Dispatch(store::Database& db, const RegionTable& regions, Register kind,
                                const RegisterImportOptions& o, Open open) {
  const std::string name = RegisterName(kind);
  switch (kind) {
    case Register::kEntities:
      return Run<store::EntityStore, Entity>(db, regions, name, o, open);
    case Register::kOfficers:
      return Run<store::OfficerStore, Officer>(db, regions, name, o, open);
    case Register::kItems:
      return Run<store::ItemStore, InspectionItem>(db, regions, name, o, open);
    case Register::kOrgUnits:
      return Run<store::OrgUnitStore, OrgUnit>(db, regions, name, o, open);
  }
  return Error{"register.unknown", "no such register", "kind"};
}

}  // namespace

Result<RegisterImport> ImportRegisterFile(store::Database& db, const RegionTable& regions, Register kind,
                                          const std::string& path, const RegisterImportOptions& options) {
  return Dispatch(db, regions, kind, options, [&]<typename V>(const RegionTable& r, const import::ImportOptions& opts) {
    return import::Importer<V>::Open(path, r, opts);
  });
}

Result<RegisterImport> ImportRegisterText(store::Database& db, const RegionTable& regions, Register kind,
                                          std::string csv, const RegisterImportOptions& options) {
  return Dispatch(db, regions, kind, options, [&]<typename V>(const RegionTable& r, const import::ImportOptions& opts) {
    return import::Importer<V>::FromString(csv, r, opts);
  });
}

}  // namespace suiji::app
