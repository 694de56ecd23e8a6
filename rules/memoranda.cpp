#include "rules/memoranda.h"
#include "rules/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "core/sha256.h"

namespace suiji::rules {

const char* ListKindName(ListKind k) { return k == ListKind::kAbnormal ? "abnormal" : "serious"; }

std::optional<ListKind> ParseListKind(std::string_view s) {
  if (s == "abnormal") return ListKind::kAbnormal;
  if (s == "serious") return ListKind::kSerious;
  return std::nullopt;
}

namespace {

class Reader : public YamlReader {
 public:
  explicit Reader(std::string_view file) : YamlReader(file, "memoranda.invalid") {}
};

#define SUIJI_TRY(expr) \
  if (auto e_ = (expr)) return *e_

Result<Measure> ParseMeasure(const Reader& r, const YAML::Node& n, const std::string& f, const Trigger& trigger) {
  Measure m;
  m.line = n.Mark().line + 1;
  if (!n.IsMap()) return r.Fail(n, f, "must be a map");
  SUIJI_TRY(r.OnlyKeys(n, f, {"id", "measure", "department", "legal_basis", "duration"}));
  SUIJI_TRY(r.String(n, "id", f + ".id", m.id, true));
  SUIJI_TRY(r.String(n, "measure", f + ".measure", m.measure, true));
  SUIJI_TRY(r.String(n, "department", f + ".department", m.department, true));
  SUIJI_TRY(r.String(n, "legal_basis", f + ".legal_basis", m.legal_basis, true));
  YAML::Node d = n["duration"];
  if (!d.IsDefined()) return r.Fail(n, f + ".duration", "is required (while_listed or {years: N})");
  if (d.IsScalar() && d.Scalar() == "while_listed") {
    if (!trigger.list)
      return r.Fail(d, f + ".duration", "while_listed needs a list trigger; a penalty trigger needs {years: N}");
    m.while_listed = true;
  } else if (d.IsMap()) {
    SUIJI_TRY(r.OnlyKeys(d, f + ".duration", {"years"}));
    YAML::Node y = d["years"];
    if (!y.IsDefined() || !y.IsScalar()) return r.Fail(d, f + ".duration.years", "is required");
    const std::string& s = y.Scalar();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), m.years);
    if (ec != std::errc() || p != s.data() + s.size() || m.years < 1 || m.years > 50)
      return r.Fail(y, f + ".duration.years", "'" + s + "' is not a whole number of years in 1..50");
  } else {
    return r.Fail(d, f + ".duration", "must be while_listed or {years: N}");
  }
  return m;
}

Result<Memorandum> ParseMemorandum(const Reader& r, const YAML::Node& n, const std::string& f) {
  Memorandum mo;
  mo.line = n.Mark().line + 1;
  if (!n.IsMap()) return r.Fail(n, f, "must be a map");
  SUIJI_TRY(r.OnlyKeys(n, f, {"id", "title", "document", "trigger", "measures"}));
  SUIJI_TRY(r.String(n, "id", f + ".id", mo.id, true));
  SUIJI_TRY(r.String(n, "title", f + ".title", mo.title, true));
  SUIJI_TRY(r.String(n, "document", f + ".document", mo.document, false));
  YAML::Node t = n["trigger"];
  if (!t.IsDefined()) return r.Fail(n, f + ".trigger", "is required");
  if (!t.IsMap() || t.size() != 1)
    return r.Fail(t, f + ".trigger", "must be exactly one of {list: abnormal|serious} or {penalty_type: <type>}");
  SUIJI_TRY(r.OnlyKeys(t, f + ".trigger", {"list", "penalty_type"}));
  if (t["list"].IsDefined()) {
    std::string s;
    SUIJI_TRY(r.String(t, "list", f + ".trigger.list", s, true));
    mo.trigger.list = ParseListKind(s);
    if (!mo.trigger.list) return r.Fail(t["list"], f + ".trigger.list", "'" + s + "' is not abnormal or serious");
  } else {
    SUIJI_TRY(r.String(t, "penalty_type", f + ".trigger.penalty_type", mo.trigger.penalty_type, true));
  }
  YAML::Node ms = n["measures"];
  if (!ms.IsDefined()) return r.Fail(n, f + ".measures", "is required");
  if (!ms.IsSequence() || ms.size() == 0) return r.Fail(ms, f + ".measures", "must be a non-empty list");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    std::string mf = f + ".measures[" + std::to_string(i) + "]";
    auto m = ParseMeasure(r, ms[i], mf, mo.trigger);
    if (!m.ok()) return m.error();
    if (!ids.insert(m->id).second) return r.Fail(ms[i]["id"], mf + ".id", "measure id '" + m->id + "' appears twice");
    mo.measures.push_back(std::move(m).value());
  }
  return mo;
}

}  // namespace

Result<Memoranda> ParseMemoranda(std::string_view text, std::string_view file) {
  Reader r(file);
  YAML::Node root;
  if (auto e = r.Load(text, root)) return *e;
  if (!root.IsMap()) return r.Fail(1, "", "a memoranda file is a map (version, memoranda)");
  try {
    SUIJI_TRY(r.OnlyKeys(root, "", {"version", "memoranda"}));
    Memoranda out;
    SUIJI_TRY(r.String(root, "version", "version", out.version, true));
    YAML::Node list = root["memoranda"];
    if (!list.IsDefined()) return r.Fail(root, "memoranda", "is required");
    if (!list.IsSequence() || list.size() == 0) return r.Fail(list, "memoranda", "must be a non-empty list");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string f = "memoranda[" + std::to_string(i) + "]";
      auto mo = ParseMemorandum(r, list[i], f);
      if (!mo.ok()) return mo.error();
      if (!ids.insert(mo->id).second)
        return r.Fail(list[i]["id"], f + ".id", "memorandum id '" + mo->id + "' appears twice");
      out.memoranda.push_back(std::move(mo).value());
    }
    out.digest = Sha256Hex(text);
    return out;
  } catch (const YAML::Exception& e) {
    return r.Fail(e.mark.line + 1, "", e.msg);
  }
}

Result<Memoranda> LoadMemoranda(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"memoranda.io", "cannot read memoranda file '" + path + "'", path};
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseMemoranda(ss.str(), path);
}

}  // namespace suiji::rules
