// The officers and the inspection items (the other two of 一单两库), for regulators:
//   GET /api/v1/officers?department=&limit=&after=   a keyset page, only officers of the caller's units
//   GET /api/v1/items?department=                    the item list (public law: not scoped)
#include "api/rest/handlers.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"

namespace suiji::rest {
namespace {

Response Officers(Call& c) {
  if (auto p = OnlyQuery(c.req, {"department", "limit", "after"})) return c.Fail(*p);
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  std::string where;
  std::vector<std::string> params;
  if (const std::string d = c.req.Query("department"); !d.empty()) {
    where = "department = :p0";
    params.push_back(d);
  }
  if (!c.scope.all()) {  // the caller's unit and those below it, as bound parameters
    auto units = c.svc.Units();
    if (!units) return c.Fail(Unavailable("the org-unit hierarchy cannot be read now"));
    std::vector<std::string> mine = units.value()->Find(c.scope.unit()) ? units.value()->Descendants(c.scope.unit())
                                                                        : std::vector<std::string>{c.scope.unit()};
    std::string in;
    for (const auto& u : mine) {
      in += (in.empty() ? "" : ", ") + std::string(":p") + std::to_string(params.size());
      params.push_back(u);
    }
    where += (where.empty() ? "" : " AND ") + std::string("org_unit IN (") + in + ")";
  }
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto rows = store::OfficerStore(*db.value()).Page(where, std::move(params), page->after, page->limit + 1);
  if (!rows) return c.Fail(rows.error());
  std::vector<Officer> list = std::move(rows).value();
  const bool more = static_cast<std::int64_t>(list.size()) > page->limit;
  if (more) list.resize(static_cast<std::size_t>(page->limit));
  JsonDoc items = JsonDoc::array();
  for (const auto& o : list)
    items.push_back({{"cert_no", o.cert_no},           {"name", o.name},
                     {"org_unit", o.org_unit},         {"department", o.department},
                     {"jurisdictions", o.jurisdictions}, {"qualifications", o.qualifications},
                     {"status", o.status},             {"conflicts", o.conflicts}});
  return c.Ok({{"items", items}, {"next_after", more ? JsonDoc(list.back().cert_no) : JsonDoc(nullptr)}});
}

Response Items(Call& c) {
  if (auto p = OnlyQuery(c.req, {"department"})) return c.Fail(*p);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  const std::string d = c.req.Query("department");
  JsonDoc items = JsonDoc::array();
  auto add = [&](const InspectionItem& i) {
    if (!d.empty() && i.department != d) return true;
    items.push_back({{"department", i.department}, {"code", i.code},           {"category", i.category},
                     {"name", i.name},             {"target", i.target},       {"item_class", i.item_class},
                     {"methods", i.methods},       {"subject", i.subject},     {"legal_basis", i.legal_basis},
                     {"industries", i.industries}, {"qualification", i.qualification}});
    return true;
  };
  if (auto st = store::ItemStore(*db.value()).ForEach(add); !st) return c.Fail(st.error());
  return c.Ok({{"items", items}});
}

}  // namespace

void AddRegisterRoutes(Router& r) {
  r.Add({"GET", "/api/v1/officers", "officers.read", Officers, "a keyset page of the officers of the caller's units", true});
  r.Add({"GET", "/api/v1/items", "items.read", Items, "the inspection-item list (抽查事项清单)", true});
}

}  // namespace suiji::rest
