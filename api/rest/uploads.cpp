// Register uploads: POST a CSV (the same files `suiji import` reads: UTF-8 or GBK, Chinese or English
// headers) to the register's collection, and get exactly the CLI's row-level report as JSON:
//   POST /api/v1/entities | /api/v1/officers | /api/v1/items | /api/v1/org-units
//        ?skip_invalid=true   import the valid rows; the answer lists every rejected row with its reasons
//        ?region=CODE         entities: the region of rows that have none (the CLI's --region)
// All or nothing by default: any rejected row is a 422 naming each bad cell, and nothing is written.
// Scope: a client with an org unit may upload only rows of its part of the hierarchy (entities in its
// region, officers of its units, units at or below its own; the item list is national: unscoped
// clients only) — a file with rows outside it is a 403 and nothing is written. A row updating a stored
// record counts as outside too when the stored record lies outside (no moving a sibling's unit, officer
// or entity under oneself: docs/security.md F2).
#include "api/app/registers.h"
#include "api/rest/handlers.h"
#include "data/store/entity_store.h"
#include "data/store/officer_store.h"

namespace suiji::rest {
namespace {

JsonDoc ErrorJson(const import::RowError& e) {
  return {{"row", e.row}, {"column", e.column}, {"value", e.value}, {"code", e.code}, {"reason", e.reason}};
}

// How many valid rows of the file fail `inside`, and the first one's record number.
template <typename V, typename Inside>
std::pair<std::int64_t, std::int64_t> CountOutside(Result<import::Importer<V>> imp, Inside inside) {
  std::int64_t outside = 0, first = 0, n = 0;
  if (!imp) return {0, 0};  // the import itself reports file-level problems
  std::vector<V> batch;
  while (imp.value().NextBatch(batch, 1000))
    for (const auto& v : batch) {
      ++n;
      if (!inside(v) && outside++ == 0) first = n;
    }
  return {outside, first};
}

// True when the row's own value lies in scope and the stored record it would overwrite, if any, does too:
// else a county could move a sibling's unit, officer or entity under itself (and then see its draws and
// results). A lookup that fails counts the row as outside (fail closed).
template <class Lookup, class Sees>
bool RowAndStoredInScope(bool row_in_scope, Lookup lookup, Sees sees) {
  if (!row_in_scope) return false;
  auto stored = lookup();
  return stored && (!stored.value() || sees(*stored.value()));
}

// Rows of the file outside the caller's scope, checked before anything is written.
std::optional<Problem> OutOfScope(Call& c, app::Register kind, const std::string& csv, import::ImportOptions o) {
  if (c.scope.all()) return std::nullopt;
  if (kind == app::Register::kItems)
    return Forbidden("the inspection-item list is national: only a client without an org unit uploads it");
  o.check_duplicates = false;
  // Rows are judged as the import will judge them: against the stored units too.
  auto units = c.svc.Units();
  if (!units) return Unavailable("the org-unit hierarchy cannot be read now");
  o.org_units = units.value()->all();
  auto db = c.svc.Lease();
  if (!db) return Unavailable("no database connection");
  std::pair<std::int64_t, std::int64_t> out{0, 0};
  switch (kind) {
    case app::Register::kItems:
      break;  // refused above
    case app::Register::kEntities:
      out = CountOutside(import::Importer<Entity>::FromString(csv, *c.svc.regions, o), [&](const Entity& e) {
        return RowAndStoredInScope(
            c.scope.SeesRegion(e.region), [&] { return store::EntityStore(*db.value()).Get(e.id.value); },
            [&](const Entity& s) { return c.scope.SeesRegion(s.region); });
      });
      break;
    case app::Register::kOfficers:
      out = CountOutside(import::Importer<Officer>::FromString(csv, *c.svc.regions, o), [&](const Officer& x) {
        return RowAndStoredInScope(
            c.scope.SeesUnit(x.org_unit), [&] { return store::OfficerStore(*db.value()).Get(x.cert_no); },
            [&](const Officer& s) { return c.scope.SeesUnit(s.org_unit); });
      });
      break;
    case app::Register::kOrgUnits:  // below the caller's own unit, never the unit itself or above; a stored
                                    // unit only when it is below the caller already
      out = CountOutside(import::Importer<OrgUnit>::FromString(csv, *c.svc.regions, o), [&](const OrgUnit& u) {
        return u.code != c.scope.unit() && c.scope.SeesUnit(u.parent) &&
               (!units.value()->Find(u.code) || c.scope.SeesUnit(u.code));
      });
      break;
  }
  if (out.first == 0) return std::nullopt;
  return Forbidden(std::to_string(out.first) + " row(s) lie outside org unit " + c.scope.unit() + " (the first is record " +
                   std::to_string(out.second) + "); nothing was imported");
}

Response Upload(Call& c, app::Register kind) {
  if (auto p = OnlyQuery(c.req, {"skip_invalid", "region"})) return c.Fail(*p);
  const std::string skip = c.req.Query("skip_invalid");
  if (!skip.empty() && skip != "true" && skip != "false")
    return c.Fail(BadRequest("skip_invalid is true or false", {{"skip_invalid", "'" + skip + "'"}}));
  if (c.req.body.empty()) return c.Fail(BadRequest("the body is the CSV file to import; it is empty"));
  app::RegisterImportOptions o;
  o.skip_invalid = skip == "true";
  o.actor = Actor(c);
  o.source_label = "upload";
  if (kind == app::Register::kEntities) o.import.default_region = c.req.Query("region");
  else if (c.req.HasQuery("region")) return c.Fail(BadRequest("region applies to entities only", {{"region", "not here"}}));
  if (!o.import.default_region.empty() && !c.scope.SeesRegion(o.import.default_region))
    return c.Fail(Forbidden("region " + o.import.default_region + " is outside org unit " + c.scope.unit()));
  if (auto p = OutOfScope(c, kind, c.req.body, o.import)) return c.Fail(*p);
  std::vector<JsonDoc> rejected;
  o.on_reject = [&](const import::RejectedRow& r) {
    if (rejected.size() >= 1000) return;
    JsonDoc errs = JsonDoc::array();
    for (const auto& e : r.errors) errs.push_back(ErrorJson(e));
    rejected.push_back({{"row", r.row}, {"text", r.text}, {"errors", errs}});
  };
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto r = app::ImportRegisterText(*db.value(), *c.svc.regions, kind, c.req.body, o);
  if (!r) {
    const auto& e = r.error();
    if (e.code.rfind("header.", 0) == 0 || e.code.rfind("encoding", 0) == 0 || e.code.rfind("csv.", 0) == 0 ||
        e.code.rfind("region", 0) == 0)
      return c.Fail(Unprocessable(e.message, {{e.field.empty() ? "body" : e.field, e.code}}));
    return c.Fail(e);
  }
  const auto& rep = r->report;
  if (!r->committed) {
    std::vector<FieldError> errors;
    for (const auto& e : rep.errors)
      errors.push_back({"row " + std::to_string(e.row) + (e.column.empty() ? "" : " " + e.column), e.code + ": " + e.reason});
    return c.Fail(Unprocessable("nothing imported: " + std::to_string(rep.rows_rejected) + " of " +
                                    std::to_string(rep.rows_read) + " rows are invalid (fix them, or ?skip_invalid=true)",
                                errors));
  }
  JsonDoc warnings = JsonDoc::object(), errors = JsonDoc::array(), rereg = JsonDoc::array();
  for (const auto& [code, n] : rep.warning_counts) warnings[code] = n;
  for (const auto& e : rep.errors) errors.push_back(ErrorJson(e));
  for (const auto& x : r->reregistered)
    rereg.push_back({{"from", x.from}, {"to", x.to}, {"records_moved", x.records_moved}, {"conflict", x.conflict}});
  JsonDoc body{{"register", app::RegisterName(kind)},
               {"committed", true},
               {"encoding", rep.encoding},
               {"rows_read", rep.rows_read},
               {"rows_valid", rep.rows_valid},
               {"rows_rejected", rep.rows_rejected},
               {"rows_flagged", rep.rows_flagged},
               {"inserted", r->counts.inserted},
               {"updated", r->counts.updated},
               {"unchanged", r->counts.unchanged},
               {"reregistered", rereg},
               {"warnings", warnings},
               {"errors", errors},
               {"rejected_rows", rejected}};
  return c.Ok(body);
}

}  // namespace

void AddUploadRoutes(Router& r) {
  r.Add({"POST", "/api/v1/entities", "registers.import", [](Call& c) { return Upload(c, app::Register::kEntities); },
         "import an entity register CSV (all or nothing, or ?skip_invalid=true)"});
  r.Add({"POST", "/api/v1/officers", "registers.import", [](Call& c) { return Upload(c, app::Register::kOfficers); },
         "import an officer register CSV"});
  r.Add({"POST", "/api/v1/items", "registers.import", [](Call& c) { return Upload(c, app::Register::kItems); },
         "import the inspection-item list CSV"});
  r.Add({"POST", "/api/v1/org-units", "registers.import", [](Call& c) { return Upload(c, app::Register::kOrgUnits); },
         "import org units CSV, checked as one tree with the stored units"});
}

}  // namespace suiji::rest
