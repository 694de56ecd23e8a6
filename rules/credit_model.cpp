#include "rules/credit_model.h"
#include "rules/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/sha256.h"

namespace suiji::rules {

const std::vector<IndicatorInfo>& IndicatorCatalogue() {
  static const std::vector<IndicatorInfo> kCatalogue = {
      {"inspections_3y", "inspections in the 3 years up to the as-of date", false},
      {"inspection_problems_3y", "inspections that found a problem, 3 years", false},
      {"inspection_problem_rate_3y", "share of inspections with a problem, 3 years; missing when never inspected", true},
      {"not_found_3y", "inspections that could not find the entity at its registered address, 3 years", false},
      {"penalties_3y", "administrative penalty decisions, 3 years", false},
      {"penalty_amount_3y", "sum of fines and confiscations in yuan, 3 years", false},
      {"severe_penalties_5y", "suspensions and revocations, 5 years", false},
      {"abnormal_listed", "1 when on the abnormal-operations list (经营异常名录) on the as-of date", false},
      {"serious_listed", "1 when on the serious-violation list (严重违法失信名单) on the as-of date", false},
      {"listings_5y", "list memberships that started in the 5 years up to the as-of date", false},
      {"complaints_1y", "substantiated complaints and reports, 1 year", false},
      {"registration_age_days", "days since establishment; missing when the register has no date", true},
      {"status_not_active", "1 when the register status is not 'active'", false},
      {"annual_reports_missing_3y", "annual reports of the last 3 report years not filed by the as-of date", false},
      {"annual_reports_late_3y", "annual reports of the last 3 report years filed after 30 June", false},
  };
  return kCatalogue;
}

bool IsExternalIndicator(std::string_view name) {
  if (!name.starts_with("ext.")) return false;
  auto rest = name.substr(4);
  auto dot = rest.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < rest.size();
}

const IndicatorInfo* FindIndicator(std::string_view name) {
  for (const auto& i : IndicatorCatalogue())
    if (i.name == name) return &i;
  static const IndicatorInfo kExternal{"ext.*", "value from another department's feed; missing when none", true};
  return IsExternalIndicator(name) ? &kExternal : nullptr;
}

const char* TransformName(Transform t) {
  switch (t) {
    case Transform::kIdentity: return "identity";
    case Transform::kLog1p: return "log1p";
    case Transform::kCap: return "cap";
    case Transform::kIndicator: return "indicator";
    case Transform::kYears: return "years";
  }
  return "?";
}

const char* RiskClassName(RiskClass c) {
  static const char* kNames[] = {"A", "B", "C", "D"};
  return kNames[static_cast<int>(c) & 3];
}

std::optional<RiskClass> ParseRiskClass(std::string_view s) {
  if (s.size() != 1 || s[0] < 'A' || s[0] > 'D') return std::nullopt;
  return static_cast<RiskClass>(s[0] - 'A');
}

std::vector<std::string> CreditModel::IndicatorNames() const {
  std::vector<std::string> out;
  for (const auto& i : indicators) out.push_back(i.name);
  return out;
}

RiskClass CreditModel::Classify(double score) const {
  for (int c = 3; c >= 1; --c)
    if (score >= classes[c].min_score) return static_cast<RiskClass>(c);
  return RiskClass::kA;
}

namespace {

// Reads typed fields out of YAML nodes and turns every problem into a located Error.
class Reader : public YamlReader {
 public:
  explicit Reader(std::string_view file) : YamlReader(file, "credit_model.invalid") {}

  std::optional<Error> Number(const YAML::Node& n, const std::string& field, double& out) const {
    if (!n.IsScalar()) return Fail(n, field, "must be a number");
    const std::string& s = n.Scalar();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(out))
      return Fail(n, field, "'" + s + "' is not a number");
    return std::nullopt;
  }

  std::optional<Error> Integer(const YAML::Node& n, const std::string& field, std::int64_t& out,
                               std::int64_t lo, std::int64_t hi) const {
    if (!n.IsScalar()) return Fail(n, field, "must be an integer");
    const std::string& s = n.Scalar();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size()) return Fail(n, field, "'" + s + "' is not an integer");
    if (out < lo || out > hi)
      return Fail(n, field, s + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return std::nullopt;
  }

};

#define SUIJI_TRY(expr) \
  if (auto e_ = (expr)) return *e_

Result<IndicatorSpec> ParseIndicator(const Reader& r, const YAML::Node& n, const std::string& f) {
  IndicatorSpec s;
  s.line = n.Mark().line + 1;
  if (!n.IsMap()) return r.Fail(n, f, "must be a map with name, transform, weight...");
  SUIJI_TRY(r.OnlyKeys(n, f, {"name", "transform", "cap", "threshold", "normalize", "weight", "missing", "note"}));
  SUIJI_TRY(r.String(n, "name", f + ".name", s.name, true));
  const IndicatorInfo* info = FindIndicator(s.name);
  if (!info)
    return r.Fail(n["name"], f + ".name",
                  "unknown indicator '" + s.name + "' (see the catalogue in docs/credit.md, or ext.<source>.<name>)");
  std::string t = "identity";
  SUIJI_TRY(r.String(n, "transform", f + ".transform", t, false));
  if (t == "identity") s.transform = Transform::kIdentity;
  else if (t == "log1p") s.transform = Transform::kLog1p;
  else if (t == "cap") s.transform = Transform::kCap;
  else if (t == "indicator") s.transform = Transform::kIndicator;
  else if (t == "years") s.transform = Transform::kYears;
  else return r.Fail(n["transform"], f + ".transform", "'" + t + "' is not one of identity, log1p, cap, indicator, years");
  if (s.transform == Transform::kCap) {
    if (!n["cap"].IsDefined()) return r.Fail(n, f + ".cap", "is required with transform: cap");
    SUIJI_TRY(r.Number(n["cap"], f + ".cap", s.cap));
  } else if (n["cap"].IsDefined()) {
    return r.Fail(n["cap"], f + ".cap", "is only allowed with transform: cap");
  }
  if (n["threshold"].IsDefined()) {
    if (s.transform != Transform::kIndicator)
      return r.Fail(n["threshold"], f + ".threshold", "is only allowed with transform: indicator");
    SUIJI_TRY(r.Number(n["threshold"], f + ".threshold", s.threshold));
  }
  if (YAML::Node norm = n["normalize"]; norm.IsDefined()) {
    std::string nf = f + ".normalize";
    if (!norm.IsMap()) return r.Fail(norm, nf, "must be {center, scale} or {min, max}");
    SUIJI_TRY(r.OnlyKeys(norm, nf, {"center", "scale", "min", "max"}));
    bool linear = norm["center"].IsDefined() || norm["scale"].IsDefined();
    bool minmax = norm["min"].IsDefined() || norm["max"].IsDefined();
    if (linear == minmax) return r.Fail(norm, nf, "must be either {center, scale} or {min, max}");
    if (linear) {
      s.normalise = Normalise::kLinear;
      if (norm["center"].IsDefined()) SUIJI_TRY(r.Number(norm["center"], nf + ".center", s.center));
      if (norm["scale"].IsDefined()) SUIJI_TRY(r.Number(norm["scale"], nf + ".scale", s.scale));
      if (s.scale <= 0) return r.Fail(norm["scale"], nf + ".scale", "must be positive");
    } else {
      s.normalise = Normalise::kMinMax;
      if (!norm["min"].IsDefined() || !norm["max"].IsDefined()) return r.Fail(norm, nf, "needs both min and max");
      SUIJI_TRY(r.Number(norm["min"], nf + ".min", s.min));
      SUIJI_TRY(r.Number(norm["max"], nf + ".max", s.max));
      if (!(s.max > s.min)) return r.Fail(norm["max"], nf + ".max", "must be greater than min");
    }
  }
  if (!n["weight"].IsDefined()) return r.Fail(n, f + ".weight", "is required");
  SUIJI_TRY(r.Number(n["weight"], f + ".weight", s.weight));
  if (YAML::Node m = n["missing"]; m.IsDefined()) {
    if (!m.IsMap()) return r.Fail(m, f + ".missing", "must be {impute: <value>}");
    SUIJI_TRY(r.OnlyKeys(m, f + ".missing", {"impute"}));
    double v = 0;
    if (!m["impute"].IsDefined()) return r.Fail(m, f + ".missing.impute", "is required");
    SUIJI_TRY(r.Number(m["impute"], f + ".missing.impute", v));
    s.impute = v;
  } else if (info->may_be_missing) {
    return r.Fail(n, f + ".missing",
                  "indicator '" + s.name + "' may be missing: state the value to impute (missing: {impute: ...})");
  }
  SUIJI_TRY(r.String(n, "note", f + ".note", s.note, false));
  return s;
}

Result<ListRules> ParseListRules(const Reader& r, const YAML::Node& n) {
  ListRules lr;
  if (!n.IsMap()) return r.Fail(n, "list_rules", "must be a map");
  SUIJI_TRY(r.OnlyKeys(n, "list_rules", {"abnormal_to_serious_years", "move_warning_days", "serious_period_years",
                                          "repair_min_years", "abnormal_removal_days"}));
  auto get = [&](const char* key, int& out, std::int64_t lo, std::int64_t hi) -> std::optional<Error> {
    if (!n[key].IsDefined()) return std::nullopt;
    std::int64_t v = 0;
    SUIJI_TRY(r.Integer(n[key], std::string("list_rules.") + key, v, lo, hi));
    out = static_cast<int>(v);
    return std::nullopt;
  };
  SUIJI_TRY(get("abnormal_to_serious_years", lr.abnormal_to_serious_years, 1, 50));
  SUIJI_TRY(get("move_warning_days", lr.move_warning_days, 0, 3650));
  SUIJI_TRY(get("serious_period_years", lr.serious_period_years, 1, 50));
  SUIJI_TRY(get("repair_min_years", lr.repair_min_years, 0, 50));
  SUIJI_TRY(get("abnormal_removal_days", lr.abnormal_removal_days, 0, 365));
  if (lr.move_warning_days >= lr.abnormal_to_serious_years * 365)
    return r.Fail(n["move_warning_days"], "list_rules.move_warning_days", "must be shorter than the move period");
  if (lr.repair_min_years > lr.serious_period_years)
    return r.Fail(n["repair_min_years"], "list_rules.repair_min_years", "must not exceed serious_period_years");
  return lr;
}

Result<std::vector<ClassSpec>> ParseClasses(const Reader& r, const YAML::Node& n) {
  if (!n.IsSequence() || n.size() != 4)
    return r.Fail(n, "classes", "must list exactly the four classes A, B, C, D in order");
  std::vector<ClassSpec> out;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node c = n[i];
    std::string f = "classes[" + std::to_string(i) + "]";
    if (!c.IsMap()) return r.Fail(c, f, "must be a map");
    SUIJI_TRY(r.OnlyKeys(c, f, {"class", "min_score", "label", "sampling_ratio_bp", "inspections_per_year"}));
    ClassSpec s;
    std::string name;
    SUIJI_TRY(r.String(c, "class", f + ".class", name, true));
    auto cls = ParseRiskClass(name);
    if (!cls || static_cast<std::size_t>(*cls) != i)
      return r.Fail(c["class"], f + ".class", "expected '" + std::string(1, char('A' + i)) + "', got '" + name + "'");
    s.cls = *cls;
    if (i == 0) {
      if (c["min_score"].IsDefined())
        return r.Fail(c["min_score"], f + ".min_score", "class A has no lower bound: it is every score below B");
    } else {
      if (!c["min_score"].IsDefined()) return r.Fail(c, f + ".min_score", "is required");
      SUIJI_TRY(r.Number(c["min_score"], f + ".min_score", s.min_score));
      if (i >= 2 && !(s.min_score > out.back().min_score))
        return r.Fail(c["min_score"], f + ".min_score", "must be greater than class " + std::string(1, char('A' + i - 1)) + "'s");
    }
    SUIJI_TRY(r.String(c, "label", f + ".label", s.label, false));
    std::int64_t v = 0;
    if (c["sampling_ratio_bp"].IsDefined()) {
      SUIJI_TRY(r.Integer(c["sampling_ratio_bp"], f + ".sampling_ratio_bp", v, 0, 10000));
      s.sampling_ratio_bp = v;
    }
    if (c["inspections_per_year"].IsDefined()) {
      SUIJI_TRY(r.Integer(c["inspections_per_year"], f + ".inspections_per_year", v, 0, 366));
      s.inspections_per_year = v;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Result<CreditModel> ParseCreditModel(std::string_view text, std::string_view file) {
  Reader r(file);
  YAML::Node root;
  if (auto e = r.Load(text, root)) return *e;
  if (!root.IsMap()) return r.Fail(1, "", "a credit model file is a map (model, version, indicators, classes)");
  try {
    SUIJI_TRY(r.OnlyKeys(root, "", {"model", "version", "description", "indicators", "classes", "list_rules"}));
    CreditModel m;
    SUIJI_TRY(r.String(root, "model", "model", m.id, true));
    SUIJI_TRY(r.String(root, "version", "version", m.version, true));
    SUIJI_TRY(r.String(root, "description", "description", m.description, false));
    YAML::Node inds = root["indicators"];
    if (!inds.IsDefined()) return r.Fail(root, "indicators", "is required");
    if (!inds.IsSequence() || inds.size() == 0) return r.Fail(inds, "indicators", "must be a non-empty list");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < inds.size(); ++i) {
      std::string f = "indicators[" + std::to_string(i) + "]";
      auto s = ParseIndicator(r, inds[i], f);
      if (!s.ok()) return s.error();
      if (!seen.insert(s->name).second)
        return r.Fail(inds[i]["name"], f + ".name", "indicator '" + s->name + "' appears twice");
      m.indicators.push_back(std::move(s).value());
    }
    YAML::Node cls = root["classes"];
    if (!cls.IsDefined()) return r.Fail(root, "classes", "is required");
    auto classes = ParseClasses(r, cls);
    if (!classes.ok()) return classes.error();
    m.classes = std::move(classes).value();
    if (YAML::Node lr = root["list_rules"]; lr.IsDefined()) {
      auto rules = ParseListRules(r, lr);
      if (!rules.ok()) return rules.error();
      m.list_rules = rules.value();
    }
    m.digest = Sha256Hex(text);
    return m;
  } catch (const YAML::Exception& e) {  // e.g. a scalar where a map was expected
    return r.Fail(e.mark.line + 1, "", e.msg);
  }
}

Result<CreditModel> LoadCreditModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"credit_model.io", "cannot read credit model file '" + path + "'", path};
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseCreditModel(ss.str(), path);
}

}  // namespace suiji::rules
