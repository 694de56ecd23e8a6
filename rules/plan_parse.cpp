// Plan YAML -> Plan, collecting every error with file, line and field. yaml-cpp throws; every call
// that may throw is inside Parse's try blocks so nothing escapes this file.
#include "rules/plan_parse.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/canonical_json.h"
#include "core/identifiers.h"

namespace suiji::rules {

std::string PlanError::ToString() const {
  std::string s = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
  if (!field.empty()) s += field + ": ";
  return s + message;
}

namespace {

struct Entry {
  YAML::Node key, value;
  int line;  // of the key
};
using Fields = std::map<std::string, Entry>;

template <typename T>
struct Lined {
  T value;
  int line;
};

std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string Index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

int LineOf(const YAML::Node& n, int fallback) {
  YAML::Mark m = n.Mark();
  return m.is_null() || m.line < 0 ? fallback : m.line + 1;
}

bool IsAbsent(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

// Strict integer: optional sign and 1-18 digits (no hex, no exponent, no fraction).
std::optional<std::int64_t> ParseInt(const std::string& s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (i == s.size() || s.size() - i > 18) return std::nullopt;
  std::int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

// "5%", "2.5%", "0.25%" -> basis points; at most two decimals.
std::optional<std::int64_t> ParsePercent(const std::string& s) {
  if (s.size() < 2 || s.back() != '%') return std::nullopt;
  std::string num = s.substr(0, s.size() - 1);
  auto dot = num.find('.');
  std::string whole = num.substr(0, dot), frac = dot == std::string::npos ? "" : num.substr(dot + 1);
  if (whole.empty() || whole.size() > 5 || frac.size() > 2 || (dot != std::string::npos && frac.empty()))
    return std::nullopt;
  for (char c : whole + frac)
    if (c < '0' || c > '9') return std::nullopt;
  while (frac.size() < 2) frac += '0';
  return std::stoll(whole) * 100 + std::stoll(frac);
}

bool IsDepartmentCode(const std::string& s) {
  if (s.empty() || s.size() > 32 || s[0] < 'A' || s[0] > 'Z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool IsPlanId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

const char* const kStatuses[] = {"active", "deregistered", "revoked", "abnormal"};
const char* const kClasses[] = {"A", "B", "C", "D", kStratumUnclassified};

class Parser {
 public:
  Parser(std::string file, const PlanCheck& check) : file_(std::move(file)), check_(check) {}

  PlanParse Run(std::string_view yaml) {
    PlanParse out;
    // yaml-cpp passes invalid UTF-8 through to the strings, where the plan's canonical JSON (its
    // digest) would throw: refuse it here, as one error.
    try {
      (void)Json(std::string(yaml)).dump();
    } catch (const Json::type_error&) {
      Err(0, "", "plan.encoding", "the plan file is not valid UTF-8: save it as UTF-8");
      out.errors = std::move(errors_);
      return out;
    }
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
      Err(e.mark.is_null() ? 0 : e.mark.line + 1, "", "plan.yaml", "not valid YAML: " + e.msg);
      out.errors = std::move(errors_);
      return out;
    }
    try {
      ParseRoot(root, out.plan);
    } catch (const YAML::Exception& e) {  // defensive: a yaml-cpp surprise becomes an error, not a crash
      Err(e.mark.is_null() ? 0 : e.mark.line + 1, "", "plan.yaml", std::string("cannot read the plan: ") + e.what());
    }
    std::stable_sort(errors_.begin(), errors_.end(), [](const PlanError& a, const PlanError& b) { return a.line < b.line; });
    out.errors = std::move(errors_);
    return out;
  }

 private:
  void Err(int line, std::string field, std::string code, std::string message) {
    errors_.push_back(PlanError{file_, line, std::move(field), std::move(code), std::move(message)});
  }

  // The keys of a mapping; reports a non-mapping, unknown keys and duplicated keys.
  std::optional<Fields> Map(const YAML::Node& n, const std::string& path, int line, const std::set<std::string>& allowed) {
    if (!n.IsMap()) {
      Err(LineOf(n, line), path, "plan.type", "must be a mapping of keys to values");
      return std::nullopt;
    }
    Fields f;
    for (auto it = n.begin(); it != n.end(); ++it) {
      int kline = LineOf(it->first, line);
      if (!it->first.IsScalar()) {
        Err(kline, path, "plan.type", "keys must be plain text");
        continue;
      }
      std::string key = it->first.Scalar();
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        Err(kline, Join(path, key), "plan.unknown_key", "unknown field (expected one of: " + list + ")");
        continue;
      }
      if (!f.emplace(key, Entry{it->first, it->second, kline}).second)
        Err(kline, Join(path, key), "plan.duplicate_key", "appears twice (first on line " + std::to_string(f[key].line) + ")");
    }
    return f;
  }

  // A present (non-null) value or nullptr; a missing required value is reported at `line`.
  const Entry* Get(const Fields& f, const std::string& key, const std::string& path, int line, bool required) {
    auto it = f.find(key);
    if (it == f.end() || IsAbsent(it->second.value)) {
      if (required) Err(it == f.end() ? line : it->second.line, Join(path, key), "plan.missing", "required field is missing");
      return nullptr;
    }
    return &it->second;
  }

  std::optional<std::string> Scalar(const Entry& e, const std::string& field) {
    if (!e.value.IsScalar()) {
      Err(LineOf(e.value, e.line), field, "plan.type", "must be a single value, not a list or mapping");
      return std::nullopt;
    }
    return e.value.Scalar();
  }

  std::optional<std::string> Str(const Fields& f, const std::string& key, const std::string& path, int line,
                                 bool required, bool nonempty = true) {
    const Entry* e = Get(f, key, path, line, required);
    if (!e) return std::nullopt;
    auto s = Scalar(*e, Join(path, key));
    if (s && nonempty && s->empty()) {
      Err(e->line, Join(path, key), "plan.empty", "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::int64_t> Int(const Fields& f, const std::string& key, const std::string& path, int line,
                                  bool required, std::int64_t lo, std::int64_t hi) {
    const Entry* e = Get(f, key, path, line, required);
    if (!e) return std::nullopt;
    auto s = Scalar(*e, Join(path, key));
    if (!s) return std::nullopt;
    auto v = ParseInt(*s);
    int l = LineOf(e->value, e->line);
    if (!v) {
      Err(l, Join(path, key), "plan.type", "'" + *s + "' is not a whole number");
      return std::nullopt;
    }
    if (*v < lo || *v > hi) {
      Err(l, Join(path, key), "plan.range",
          std::to_string(*v) + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> Bool(const Fields& f, const std::string& key, const std::string& path, int line) {
    const Entry* e = Get(f, key, path, line, false);
    if (!e) return std::nullopt;
    auto s = Scalar(*e, Join(path, key));
    if (!s) return std::nullopt;
    if (*s == "true" || *s == "True" || *s == "TRUE") return true;
    if (*s == "false" || *s == "False" || *s == "FALSE") return false;
    Err(LineOf(e->value, e->line), Join(path, key), "plan.type", "'" + *s + "' is not true or false");
    return std::nullopt;
  }

  std::optional<Date> DateField(const Fields& f, const std::string& key, const std::string& path, int line) {
    auto s = Str(f, key, path, line, true);
    if (!s) return std::nullopt;
    auto d = ParseDate(*s);
    if (!d) {
      Err(LineOf(f.at(key).value, line), Join(path, key), "plan.date", d.error().message);
      return std::nullopt;
    }
    return *d;
  }

  // A list of text values; a duplicate is reported at its own line and dropped.
  std::optional<std::vector<Lined<std::string>>> StrList(const Fields& f, const std::string& key, const std::string& path,
                                                         int line, bool required) {
    const Entry* e = Get(f, key, path, line, required);
    if (!e) return std::nullopt;
    std::string field = Join(path, key);
    if (!e->value.IsSequence()) {
      Err(LineOf(e->value, e->line), field, "plan.type", "must be a list");
      return std::nullopt;
    }
    std::vector<Lined<std::string>> out;
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < e->value.size(); ++i) {
      const YAML::Node& n = e->value[i];
      int l = LineOf(n, e->line);
      if (!n.IsScalar() || n.Scalar().empty()) {
        Err(l, Index(field, i), "plan.type", "must be a non-empty single value");
        continue;
      }
      auto [it, fresh] = seen.emplace(n.Scalar(), l);
      if (!fresh) {
        Err(l, Index(field, i), "plan.duplicate", "'" + n.Scalar() + "' is listed twice (first on line " + std::to_string(it->second) + ")");
        continue;
      }
      out.push_back({n.Scalar(), l});
    }
    if (required && out.empty() && e->value.size() == 0) Err(e->line, field, "plan.empty", "must list at least one value");
    return out;
  }

  static std::vector<std::string> Sorted(const std::vector<Lined<std::string>>& v) {
    std::vector<std::string> out;
    for (const auto& x : v) out.push_back(x.value);
    std::sort(out.begin(), out.end());
    return out;
  }

  void ParseRoot(const YAML::Node& root, Plan& plan) {
    if (IsAbsent(root)) {
      Err(1, "", "plan.empty", "the plan file is empty");
      return;
    }
    auto f = Map(root, "", 1,
                 {"version", "id", "title", "org_unit", "year", "departments", "items", "filter", "strata",
                  "exclusions", "team", "schedule", "entropy"});
    if (!f) return;
    if (auto v = Int(*f, "version", "", 1, false, 1, 1000)) {
      if (*v != 1) Err(f->at("version").line, "version", "plan.version", "this suiji reads plan format version 1 only");
      plan.version = static_cast<int>(*v);
    }
    if (auto s = Str(*f, "id", "", 1, true)) {
      if (!IsPlanId(*s))
        Err(f->at("id").line, "id", "plan.format", "'" + *s + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
      plan.id = *s;
    }
    if (auto s = Str(*f, "title", "", 1, true)) plan.title = *s;
    if (auto s = Str(*f, "org_unit", "", 1, true)) plan.org_unit = *s;
    if (auto v = Int(*f, "year", "", 1, true, 2000, 2100)) plan.year = static_cast<int>(*v);
    ParseDepartments(*f, plan);
    ParseItems(*f, plan);
    ParseFilter(*f, plan);
    ParseStrata(*f, plan);
    ParseExclusions(*f, plan);
    ParseTeam(*f, plan);
    ParseSchedule(*f, plan);
    ParseEntropy(*f, plan);
  }

  void ParseDepartments(const Fields& f, Plan& plan) {
    const Entry* e = Get(f, "departments", "", 1, true);
    if (!e) return;
    if (!e->value.IsSequence() || e->value.size() == 0) {
      Err(LineOf(e->value, e->line), "departments", "plan.type", "must be a list of at least one department");
      return;
    }
    std::map<std::string, int> seen;
    bool complete = true;
    for (std::size_t i = 0; i < e->value.size(); ++i) {
      std::string path = Index("departments", i);
      const YAML::Node& n = e->value[i];
      int line = LineOf(n, e->line);
      auto d = Map(n, path, line, {"code", "name", "officers"});
      if (!d) {
        complete = false;
        continue;
      }
      PlanDepartment dep;
      if (auto s = Str(*d, "code", path, line, true)) {
        if (!IsDepartmentCode(*s))
          Err(d->at("code").line, Join(path, "code"), "plan.format", "'" + *s + "' must be upper-case letters, digits or _ (e.g. SAMR)");
        else if (auto [it, fresh] = seen.emplace(*s, d->at("code").line); !fresh)
          Err(d->at("code").line, Join(path, "code"), "plan.duplicate",
              "department " + *s + " is listed twice (first on line " + std::to_string(it->second) + ")");
        dep.code = *s;
      } else {
        complete = false;
      }
      if (auto s = Str(*d, "name", path, line, false, false)) dep.name = *s;
      if (auto v = Int(*d, "officers", path, line, true, 1, 50))
        dep.officers = static_cast<int>(*v);
      else
        complete = false;
      plan.departments.push_back(dep);
    }
    // 行政处罚法 art. 42: inspections are carried out by at least two law-enforcement officers.
    if (complete && plan.TeamSize() < 2)
      Err(e->line, "departments", "plan.team_size",
          "a team needs at least 2 officers in total (Administrative Penalty Law art. 42); these departments send " +
              std::to_string(plan.TeamSize()));
  }

  bool IsPlanDepartment(const Plan& plan, const std::string& code) const {
    for (const auto& d : plan.departments)
      if (d.code == code) return true;
    return false;
  }

  void ParseItems(const Fields& f, Plan& plan) {
    auto items = StrList(f, "items", "", 1, true);
    if (!items) return;
    if (check_.items) {
      std::unordered_map<std::string, const InspectionItem*> by_code;
      for (const auto& it : *check_.items) by_code.emplace(it.code, &it);
      for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& [code, line] = (*items)[i];
        auto hit = by_code.find(code);
        if (hit == by_code.end())
          Err(line, "items", "plan.item_unknown", "'" + code + "' is not in the inspection-item list");
        else if (!plan.departments.empty() && !IsPlanDepartment(plan, hit->second->department))
          Err(line, "items", "plan.item_department",
              "item " + code + " belongs to department " + hit->second->department + ", which is not a department of this plan");
      }
    }
    plan.items = Sorted(*items);
  }

  void ParseFilter(const Fields& root, Plan& plan) {
    const Entry* e = Get(root, "filter", "", 1, true);
    if (!e) return;
    auto f = Map(e->value, "filter", e->line, {"regions", "industries", "entity_types", "status", "special_registers"});
    if (!f) return;
    auto& out = plan.filter;
    if (auto regions = StrList(*f, "regions", "filter", e->line, true)) {
      for (const auto& [code, line] : *regions) {
        if (Status st = ValidateRegionCodeShape(code); !st.ok())
          Err(line, "filter.regions", "plan.region", "'" + code + "': " + st.error().message);
        else if (Status known = check_.regions ? check_.regions->Validate(code) : OkStatus(); !known.ok())
          Err(line, "filter.regions", "plan.region", known.error().message);
      }
      out.regions = Sorted(*regions);
    }
    if (auto inds = StrList(*f, "industries", "filter", e->line, false)) {
      for (const auto& [code, line] : *inds)
        if (Status st = ValidateIndustryCode(code); !st.ok())
          Err(line, "filter.industries", "plan.industry", "'" + code + "': " + st.error().message);
      out.industries = Sorted(*inds);
    }
    if (auto types = StrList(*f, "entity_types", "filter", e->line, false)) out.entity_types = Sorted(*types);
    if (auto st = StrList(*f, "status", "filter", e->line, false)) {
      for (const auto& [s, line] : *st)
        if (std::find(std::begin(kStatuses), std::end(kStatuses), s) == std::end(kStatuses))
          Err(line, "filter.status", "plan.status", "'" + s + "' is not one of active, deregistered, revoked, abnormal");
      out.statuses = Sorted(*st);
    }
    if (auto regs = StrList(*f, "special_registers", "filter", e->line, false)) out.special_registers = Sorted(*regs);
  }

  void ParseStrata(const Fields& root, Plan& plan) {
    const Entry* e = Get(root, "strata", "", 1, true);
    if (!e) return;
    if (!e->value.IsSequence() || e->value.size() == 0) {
      Err(LineOf(e->value, e->line), "strata", "plan.type", "must be a list of at least one stratum");
      return;
    }
    std::map<std::string, int> seen;
    bool complete = true;
    for (std::size_t i = 0; i < e->value.size(); ++i) {
      std::string path = Index("strata", i);
      const YAML::Node& n = e->value[i];
      int line = LineOf(n, e->line);
      auto s = Map(n, path, line, {"class", "ratio_bp", "ratio", "min", "max"});
      if (!s) {
        complete = false;
        continue;
      }
      StratumRule r;
      if (auto c = Str(*s, "class", path, line, true)) {
        int cl = s->at("class").line;
        bool known = *c == kStratumAll || std::find(std::begin(kClasses), std::end(kClasses), *c) != std::end(kClasses);
        if (!known) {
          Err(cl, Join(path, "class"), "plan.stratum_class", "'" + *c + "' is not A, B, C, D, unclassified or all");
          complete = false;
        } else if (auto [it, fresh] = seen.emplace(*c, cl); !fresh) {
          Err(cl, Join(path, "class"), "plan.duplicate",
              "stratum " + *c + " is listed twice (first on line " + std::to_string(it->second) + ")");
          continue;
        }
        r.name = *c;
      } else {
        complete = false;
      }
      const Entry* bp = Get(*s, "ratio_bp", path, line, false);
      const Entry* pct = Get(*s, "ratio", path, line, false);
      if (bp && pct) {
        Err(pct->line, Join(path, "ratio"), "plan.ratio", "give ratio or ratio_bp, not both");
      } else if (bp) {
        if (auto v = Int(*s, "ratio_bp", path, line, true, 0, 10000)) r.ratio_bp = *v;
      } else if (pct) {
        auto txt = Scalar(*pct, Join(path, "ratio"));
        auto v = txt ? ParsePercent(*txt) : std::nullopt;
        if (txt && !v)
          Err(pct->line, Join(path, "ratio"), "plan.ratio", "'" + *txt + "' is not a percentage such as 5% or 2.5% (at most two decimals)");
        else if (v && *v > 10000)
          Err(pct->line, Join(path, "ratio"), "plan.range", "'" + *txt + "' is more than 100%");
        else if (v)
          r.ratio_bp = *v;
      } else {
        Err(line, Join(path, "ratio_bp"), "plan.missing", "required field is missing (give ratio_bp: 0..10000 or ratio: 5%)");
      }
      r.min_count = Int(*s, "min", path, line, false, 0, 100000000);
      r.max_count = Int(*s, "max", path, line, false, 0, 100000000);
      if (r.min_count && r.max_count && *r.min_count > *r.max_count)
        Err(s->at("max").line, Join(path, "max"), "plan.min_max",
            "max " + std::to_string(*r.max_count) + " is below min " + std::to_string(*r.min_count));
      plan.strata.push_back(r);
    }
    if (!complete) return;
    if (seen.count(kStratumAll)) {
      if (seen.size() > 1)
        Err(e->line, "strata", "plan.strata_all", "a stratum 'all' draws from everyone and cannot be combined with class strata");
    } else {
      std::string missing;
      for (const char* c : kClasses)
        if (!seen.count(c)) missing += (missing.empty() ? "" : ", ") + std::string(c);
      if (!missing.empty())
        Err(e->line, "strata", "plan.strata_cover",
            "every entity needs a stratum: add " + missing + " (ratio_bp: 0 draws none), or use a single 'all' stratum");
    }
    auto rank = [](const std::string& name) {
      for (int i = 0; i < 5; ++i)
        if (name == kClasses[i]) return i;
      return 5;
    };
    std::stable_sort(plan.strata.begin(), plan.strata.end(),
                     [&](const StratumRule& a, const StratumRule& b) { return rank(a.name) < rank(b.name); });
  }

  std::optional<std::vector<std::string>> DepartmentList(const Fields& f, const std::string& path, int line) {
    auto deps = StrList(f, "departments", path, line, false);
    if (!deps) return std::nullopt;
    if (deps->empty()) {
      Err(f.at("departments").line, Join(path, "departments"), "plan.empty", "must list at least one department (or be left out)");
      return std::nullopt;
    }
    for (const auto& [code, l] : *deps)
      if (!IsDepartmentCode(code))
        Err(l, Join(path, "departments"), "plan.format", "'" + code + "' must be upper-case letters, digits or _ (e.g. SAMR)");
    return Sorted(*deps);
  }

  void ParseExclusions(const Fields& root, Plan& plan) {
    const Entry* e = Get(root, "exclusions", "", 1, false);
    if (!e) return;
    auto f = Map(e->value, "exclusions", e->line, {"recently_inspected", "annual_cap", "deregistered", "explicit"});
    if (!f) return;
    auto& out = plan.exclusions;
    if (const Entry* r = Get(*f, "recently_inspected", "exclusions", e->line, false)) {
      const std::string path = "exclusions.recently_inspected";
      if (auto m = Map(r->value, path, r->line, {"days", "departments"})) {
        RecentInspectionRule rule;
        if (auto d = Int(*m, "days", path, r->line, true, 1, 3660)) rule.days = static_cast<int>(*d);
        if (auto deps = DepartmentList(*m, path, r->line)) {
          rule.departments = *deps;
        } else {
          for (const auto& d : plan.departments) rule.departments.push_back(d.code);
          std::sort(rule.departments.begin(), rule.departments.end());
          rule.departments.erase(std::unique(rule.departments.begin(), rule.departments.end()), rule.departments.end());
        }
        out.recently_inspected = rule;
      }
    }
    if (const Entry* a = Get(*f, "annual_cap", "exclusions", e->line, false)) {
      const std::string path = "exclusions.annual_cap";
      if (auto m = Map(a->value, path, a->line, {"max", "departments"})) {
        AnnualCapRule rule;
        if (auto v = Int(*m, "max", path, a->line, true, 1, 1000)) rule.max = static_cast<int>(*v);
        if (auto deps = DepartmentList(*m, path, a->line)) rule.departments = *deps;
        out.annual_cap = rule;
      }
    }
    if (auto b = Bool(*f, "deregistered", "exclusions", e->line)) out.deregistered = *b;
    if (const Entry* x = Get(*f, "explicit", "exclusions", e->line, false)) {
      if (!x->value.IsSequence()) {
        Err(LineOf(x->value, x->line), "exclusions.explicit", "plan.type", "must be a list of {entity, reason}");
        return;
      }
      std::map<std::string, int> seen;
      for (std::size_t i = 0; i < x->value.size(); ++i) {
        std::string path = Index("exclusions.explicit", i);
        int line = LineOf(x->value[i], x->line);
        auto m = Map(x->value[i], path, line, {"entity", "reason"});
        if (!m) continue;
        ExplicitExclusion ex;
        if (auto id = Str(*m, "entity", path, line, true)) {
          int l = m->at("entity").line;
          auto parsed = ParseEntityId(*id);
          if (!parsed)
            Err(l, Join(path, "entity"), "plan.entity_id", "'" + *id + "': " + parsed.error().message);
          else if (auto [it, fresh] = seen.emplace(parsed->value, l); !fresh)
            Err(l, Join(path, "entity"), "plan.duplicate",
                parsed->value + " is excluded twice (first on line " + std::to_string(it->second) + ")");
          else
            ex.entity_id = parsed->value;
        }
        if (auto r = Str(*m, "reason", path, line, true)) ex.reason = *r;
        if (!ex.entity_id.empty()) out.explicit_entities.push_back(ex);
      }
      std::sort(out.explicit_entities.begin(), out.explicit_entities.end(),
                [](const ExplicitExclusion& a, const ExplicitExclusion& b) { return a.entity_id < b.entity_id; });
    }
  }

  void ParseTeam(const Fields& root, Plan& plan) {
    const Entry* e = Get(root, "team", "", 1, false);
    if (!e) return;
    auto f = Map(e->value, "team", e->line, {"max_entities_per_officer"});
    if (!f) return;
    if (auto v = Int(*f, "max_entities_per_officer", "team", e->line, false, 1, 100000))
      plan.max_entities_per_officer = static_cast<int>(*v);
  }

  void ParseSchedule(const Fields& root, Plan& plan) {
    const Entry* e = Get(root, "schedule", "", 1, true);
    if (!e) return;
    auto f = Map(e->value, "schedule", e->line, {"start", "end"});
    if (!f) return;
    auto start = DateField(*f, "start", "schedule", e->line);
    auto end = DateField(*f, "end", "schedule", e->line);
    if (start) plan.schedule.start = *start;
    if (end) plan.schedule.end = *end;
    if (start && end && *end < *start)
      Err(f->at("end").line, "schedule.end", "plan.schedule_order",
          FormatDate(*end) + " is before the start " + FormatDate(*start));
  }

  void ParseEntropy(const Fields& root, Plan& plan) {
    const Entry* e = Get(root, "entropy", "", 1, true);
    if (!e) return;
    auto f = Map(e->value, "entropy", e->line, {"source", "digits", "beacon", "round"});
    if (!f) return;
    auto& out = plan.entropy;
    auto src = Str(*f, "source", "entropy", e->line, true);
    if (!src) return;
    out.source = *src;
    auto not_for = [&](const char* key) {
      if (const Entry* x = Get(*f, key, "entropy", e->line, false))
        Err(x->line, Join("entropy", key), "plan.entropy", std::string("does not apply to source ") + *src);
    };
    if (*src == "dice") {
      // The draw protocol asks for at least 20 digits (~66 bits): fewer could be tried exhaustively by
      // someone choosing which roll to accept.
      if (auto v = Int(*f, "digits", "entropy", e->line, true, 20, 64)) out.digits = static_cast<int>(*v);
      not_for("beacon");
      not_for("round");
    } else if (*src == "beacon") {
      if (auto s = Str(*f, "beacon", "entropy", e->line, true)) out.beacon = *s;
      if (auto v = Int(*f, "round", "entropy", e->line, true, 1, INT64_C(999999999999999999))) out.round = *v;
      not_for("digits");
    } else {
      Err(f->at("source").line, "entropy.source", "plan.entropy", "'" + *src + "' is not dice or beacon");
    }
  }

  std::string file_;
  PlanCheck check_;
  std::vector<PlanError> errors_;
};

}  // namespace

PlanParse ParsePlan(std::string_view yaml, std::string_view file_name, const PlanCheck& check) {
  return Parser(std::string(file_name), check).Run(yaml);
}

PlanParse LoadPlanFile(const std::string& path, const PlanCheck& check) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    PlanParse out;
    out.errors.push_back(PlanError{path, 0, "", "plan.file", "cannot open the plan file"});
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParsePlan(ss.str(), path, check);
}

}  // namespace suiji::rules
