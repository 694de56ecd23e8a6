#include "rules/plan_json.h"

#include <sstream>

#include "core/sha256.h"

namespace suiji::rules {
namespace {

Json OptInt(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

std::string Bp(std::int64_t bp) {  // 250 -> "2.5%"
  std::string s = std::to_string(bp / 100);
  if (std::int64_t frac = bp % 100) {
    s += "." + std::string(frac < 10 ? "0" : "") + std::to_string(frac);
    if (s.back() == '0') s.pop_back();
  }
  return s + "%";
}

std::string List(const std::vector<std::string>& v, const char* none) {
  if (v.empty()) return none;
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

Json PlanToJson(const Plan& p) {
  Json deps = Json::array();
  for (const auto& d : p.departments) deps.push_back({{"code", d.code}, {"name", d.name}, {"officers", d.officers}});
  Json strata = Json::array();
  for (const auto& s : p.strata)
    strata.push_back({{"class", s.name}, {"ratio_bp", s.ratio_bp}, {"min", OptInt(s.min_count)}, {"max", OptInt(s.max_count)}});
  const auto& x = p.exclusions;
  Json excl = {{"deregistered", x.deregistered}, {"recently_inspected", nullptr}, {"annual_cap", nullptr}};
  if (x.recently_inspected)
    excl["recently_inspected"] = {{"days", x.recently_inspected->days}, {"departments", x.recently_inspected->departments}};
  if (x.annual_cap)
    excl["annual_cap"] = {{"max", x.annual_cap->max},
                          {"departments", x.annual_cap->departments.empty() ? Json(nullptr) : Json(x.annual_cap->departments)}};
  Json expl = Json::array();
  for (const auto& e : x.explicit_entities) expl.push_back({{"entity", e.entity_id}, {"reason", e.reason}});
  excl["explicit"] = expl;
  Json entropy = {{"source", p.entropy.source}};
  if (p.entropy.source == "dice") entropy["digits"] = p.entropy.digits;
  if (p.entropy.source == "beacon") {
    entropy["beacon"] = p.entropy.beacon;
    entropy["round"] = p.entropy.round;
  }
  return Json{
      {"version", p.version},
      {"id", p.id},
      {"title", p.title},
      {"org_unit", p.org_unit},
      {"year", p.year},
      {"departments", deps},
      {"items", p.items},
      {"filter",
       {{"regions", p.filter.regions},
        {"industries", p.filter.industries},
        {"entity_types", p.filter.entity_types},
        {"status", p.filter.statuses},
        {"special_registers", p.filter.special_registers}}},
      {"strata", strata},
      {"exclusions", excl},
      {"team", {{"max_entities_per_officer", p.max_entities_per_officer ? Json(*p.max_entities_per_officer) : Json(nullptr)}}},
      {"schedule", {{"start", FormatDate(p.schedule.start)}, {"end", FormatDate(p.schedule.end)}}},
      {"entropy", entropy},
  };
}

std::string PlanDigest(const Plan& plan) { return Sha256Hex(CanonicalJson(PlanToJson(plan))); }

std::string DescribePlan(const Plan& p) {
  std::ostringstream o;
  o << "plan       " << p.id << " (" << p.year << ")\n";
  o << "title      " << p.title << "\n";
  o << "org unit   " << p.org_unit << "\n";
  o << "team       " << p.TeamSize() << " officers:";
  for (const auto& d : p.departments) o << " " << d.code << " x" << d.officers << (d.name.empty() ? "" : " (" + d.name + ")");
  o << "\n";
  o << "workload   "
    << (p.max_entities_per_officer ? "at most " + std::to_string(*p.max_entities_per_officer) + " entities per officer" : "uncapped")
    << "\n";
  o << "items      " << List(p.items, "-") << "\n";
  o << "regions    " << List(p.filter.regions, "-") << "\n";
  o << "industries " << List(p.filter.industries, "all") << "\n";
  o << "types      " << List(p.filter.entity_types, "all") << "\n";
  o << "status     " << List(p.filter.statuses, "all") << "\n";
  o << "registers  " << List(p.filter.special_registers, "any") << "\n";
  o << "strata    ";
  for (const auto& s : p.strata) {
    o << " " << s.name << "=" << Bp(s.ratio_bp);
    if (s.min_count) o << " min " << *s.min_count;
    if (s.max_count) o << " max " << *s.max_count;
    if (&s != &p.strata.back()) o << ";";
  }
  o << "\n";
  const auto& x = p.exclusions;
  o << "excludes   " << (x.deregistered ? "deregistered/revoked" : "(deregistered kept)");
  if (x.recently_inspected)
    o << "; inspected within " << x.recently_inspected->days << " days by " << List(x.recently_inspected->departments, "-");
  if (x.annual_cap)
    o << "; reached " << x.annual_cap->max << " inspections in " << p.year << " by " << List(x.annual_cap->departments, "any department");
  if (!x.explicit_entities.empty()) o << "; " << x.explicit_entities.size() << " named entities";
  o << "\n";
  o << "schedule   " << FormatDate(p.schedule.start) << " .. " << FormatDate(p.schedule.end) << "\n";
  o << "entropy    " << p.entropy.source;
  if (p.entropy.source == "dice") o << ", " << p.entropy.digits << " digits";
  if (p.entropy.source == "beacon") o << " " << p.entropy.beacon << " round " << p.entropy.round;
  o << "\n";
  o << "digest     " << PlanDigest(p) << "\n";
  return o.str();
}

}  // namespace suiji::rules
