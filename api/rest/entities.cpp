// The register of inspected entities (检查对象名录库), scoped to the caller's org unit by region:
//   GET /api/v1/entities?region=&industry=&status=&entity_type=&name=&limit=&after=   one keyset page
//   GET /api/v1/entities/{id}     one entity, by its USCC, registration number or an id it had before
//                                 a re-registration (the answer names the current id)
// An entity outside the caller's scope is 404, as if it did not exist.
#include <algorithm>

#include "api/rest/handlers.h"
#include "core/identifiers.h"
#include "data/store/entity_store.h"
#include "data/store/json_text.h"

namespace suiji::rest {
namespace {

// An entity as JSON text, written directly: a listing page is 50 of these, and building them as
// nlohmann objects cost most of the route's time (malloc/free; docs/performance.md).
void AppendEntity(std::string& out, const Entity& e, const std::string& requested_as = "") {
  auto field = [&](const char* name, std::string_view v, bool first = false) {
    if (!first) out += ',';
    out += '"';
    out += name;
    out += "\":";
    store::AppendJsonString(out, v);
  };
  out += '{';
  field("id", e.id.value, true);
  field("id_kind", IdKindName(e.id.kind));
  field("regno", e.regno);
  field("name", e.name);
  field("region", e.region);
  field("industry", e.industry);
  field("entity_type", e.entity_type);
  field("type_code", e.type_code);
  field("type_label", e.type_label);
  field("status", e.status);
  field("status_label", e.status_label);
  field("established", e.established);
  field("address", e.address);
  field("legal_rep", e.legal_rep);
  out += ",\"special_registers\":[";
  for (std::size_t i = 0; i < e.special_registers.size(); ++i) {
    if (i) out += ',';
    store::AppendJsonString(out, e.special_registers[i]);
  }
  out += ']';
  if (!requested_as.empty()) field("requested_as", requested_as);
  out += '}';
}

const std::vector<std::string>& Statuses() {
  static const std::vector<std::string> v{"active", "deregistered", "revoked", "abnormal", "other"};
  return v;
}
const std::vector<std::string>& Classes() {
  static const std::vector<std::string> v{"company",     "branch",     "enterprise", "partnership",
                                          "sole_proprietorship", "sole_proprietor", "cooperative",
                                          "representative_office", "other"};
  return v;
}

bool OneOf(const std::string& v, const std::vector<std::string>& set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

Response List(Call& c) {
  if (auto p = OnlyQuery(c.req, {"region", "industry", "status", "entity_type", "name", "limit", "after"}))
    return c.Fail(*p);
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  store::EntityStore::Filter f{c.req.Query("region"), c.req.Query("industry"), c.req.Query("status"),
                               c.req.Query("entity_type"), c.req.Query("name")};
  std::vector<FieldError> bad;
  if (!f.region.empty())
    if (auto st = c.svc.regions->Validate(f.region); !st) bad.push_back({"region", st.error().message});
  if (!f.industry.empty() && (f.industry.size() > 5 || !(f.industry[0] >= 'A' && f.industry[0] <= 'T') ||
                              !std::all_of(f.industry.begin() + 1, f.industry.end(), [](char ch) { return ch >= '0' && ch <= '9'; })))
    bad.push_back({"industry", "a GB/T 4754 prefix: a section letter A-T and up to 4 digits"});
  if (!f.status.empty() && !OneOf(f.status, Statuses())) bad.push_back({"status", "one of active, deregistered, revoked, abnormal, other"});
  if (!f.entity_type.empty() && !OneOf(f.entity_type, Classes())) bad.push_back({"entity_type", "not an entity class"});
  if (f.name.size() > 200) bad.push_back({"name", "at most 200 bytes"});
  if (!bad.empty()) return c.Fail(Unprocessable("the filter is not valid", bad));
  auto region = ScopedRegion(c, f.region);
  if (!region) return Json(200, "{\"items\":[],\"next_after\":null}");
  f.region = *region;
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto rows = store::EntityStore(*db.value()).Page(f, page->after, page->limit + 1);
  if (!rows) return c.Fail(rows.error());
  std::vector<Entity> list = std::move(rows).value();
  const bool more = static_cast<std::int64_t>(list.size()) > page->limit;
  if (more) list.resize(static_cast<std::size_t>(page->limit));
  std::string body = "{\"items\":[";
  body.reserve(512 * list.size() + 64);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) body += ',';
    AppendEntity(body, list[i]);
  }
  body += "],\"next_after\":";
  if (more) store::AppendJsonString(body, list.back().id.value);
  else body += "null";
  body += '}';
  return Json(200, std::move(body));
}

Response Get(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  const std::string& raw = c.params.at("id");
  if (raw.size() > 64) return c.Fail(NotFound("no entity " + raw.substr(0, 64) + "..."));
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  Response fail;
  auto e = VisibleEntity(c, *db.value(), raw, &fail);
  if (!e) return fail;
  std::string body;
  AppendEntity(body, *e, e->id.value != NormalizeId(raw) ? raw : "");
  return Json(200, std::move(body));
}

}  // namespace

std::optional<std::string> ScopedRegion(const Call& c, const std::string& requested) {
  if (c.scope.all()) return requested;
  const std::string mine = c.scope.Region();
  if (mine.empty()) return std::nullopt;
  if (requested.empty() || RegionTable::Covers(requested, mine)) return mine == kNationalRegion ? "" : mine;
  if (!c.scope.SeesRegion(requested)) return std::nullopt;
  return requested;
}

std::optional<Entity> VisibleEntity(Call& c, store::Database& db, const std::string& raw, Response* fail) {
  store::EntityStore es(db);
  auto id = es.Resolve(NormalizeId(raw));
  if (!id) {
    *fail = c.Fail(id.error());
    return std::nullopt;
  }
  std::optional<Entity> e;
  if (id.value()) {
    auto got = es.Get(*id.value());
    if (!got) {
      *fail = c.Fail(got.error());
      return std::nullopt;
    }
    e = got.value();
  }
  if (!e || !c.scope.SeesRegion(e->region)) {
    *fail = c.Fail(NotFound("no entity " + raw));
    return std::nullopt;
  }
  return e;
}

void AddEntityRoutes(Router& r) {
  r.Add({"GET", "/api/v1/entities", "entities.read", List, "a keyset page of the register, filtered", true});
  r.Add({"GET", "/api/v1/entities/{id}", "entities.read", Get, "one entity by any of its ids", true});
}

}  // namespace suiji::rest
