// PairSpec validation and its canonical commitment document.
#include <set>

#include "core/sha256.h"
#include "sampler/commitment_doc.h"
#include "sampler/json_fields.h"
#include "sampler/pairing.h"

namespace suiji::sampler {
using internal::FieldError;
using internal::ReadInt;
using internal::ReadString;
using internal::ReadStrings;

Status ValidatePairSpec(const PairSpec& spec) {
  if (!internal::IsLowerHex(spec.draw_commitment, 64))
    return Error{"pair.draw_commitment", "draw_commitment must be 64 lowercase hex characters", "draw_commitment"};
  if (spec.cap < 1) return Error{"pair.cap", "cap must be >= 1 task per officer", "cap"};
  if (auto st = ValidateEntropySource(spec.entropy_source); !st) return st.error();
  std::set<std::string> depts;
  std::int64_t team = 0;
  for (const auto& d : spec.departments) {
    if (d.department.empty() || !depts.insert(d.department).second)
      return Error{"pair.department", "department '" + d.department + "' is empty or listed twice", "departments"};
    if (d.officers < 1)
      return Error{"pair.department", "department " + d.department + " must send at least 1 officer", "departments"};
    team += d.officers;
  }
  if (team < 2) return Error{"pair.team_size", "a team needs at least 2 officers in total, plan gives " +
                                                   std::to_string(team), "departments"};
  std::set<std::string> officers;
  for (const auto& o : spec.officers) {
    if (o.id.empty() || o.id.find('|') != std::string::npos)
      return Error{"pair.officer_id", "officer id '" + o.id + "' must be non-empty and contain no '|'", "officers"};
    if (!officers.insert(o.id).second)
      return Error{"pair.officer_id", "officer " + o.id + " is listed twice", "officers"};
  }
  std::set<std::string> tasks;
  for (const auto& t : spec.tasks) {
    if (t.entity_id.empty() || !tasks.insert(t.entity_id).second)
      return Error{"pair.task", "task entity '" + t.entity_id + "' is empty or listed twice", "tasks"};
    for (const auto& r : t.requirements)
      if (!depts.count(r.department))
        return Error{"pair.requirement", "task " + t.entity_id + " requires " + r.qualification + " of department " +
                                             r.department + ", which is not in the plan", "tasks"};
  }
  std::int64_t demand = team * static_cast<std::int64_t>(spec.tasks.size());
  if (demand >= (std::int64_t{1} << 22))
    return Error{"pair.too_large", "more than 4,194,303 officer-visits in one pairing; split it", "tasks"};
  return OkStatus();
}

Json PairSpecToJson(const PairSpec& spec) {
  Json departments = Json::array();
  for (const auto& d : spec.departments)
    departments.push_back(Json{{"department", d.department}, {"officers", d.officers}});
  Json tasks = Json::array();
  for (const auto& t : spec.tasks) {
    Json reqs = Json::array();
    for (const auto& r : t.requirements)
      reqs.push_back(Json{{"department", r.department}, {"qualification", r.qualification}});
    tasks.push_back(Json{{"entity_id", t.entity_id},
                         {"region", t.region},
                         {"requirements", reqs},
                         {"last_inspectors", t.last_inspectors},
                         {"requested_recusals", t.requested_recusals}});
  }
  Json officers = Json::array();
  for (const auto& o : spec.officers)
    officers.push_back(Json{{"id", o.id},
                            {"department", o.department},
                            {"status", o.status},
                            {"jurisdictions", o.jurisdictions},
                            {"qualifications", o.qualifications},
                            {"conflicts", o.conflicts}});
  Json context = Json::object();
  for (const auto& [k, v] : spec.context) context[k] = v;
  return Json{{"protocol", kPairProtocol},
              {"kind", "team_pairing"},
              {"draw_commitment", spec.draw_commitment},
              {"departments", departments},
              {"cap", spec.cap},
              {"entropy_source", EntropySourceToJson(spec.entropy_source)},
              {"context", context},
              {"tasks", tasks},
              {"officers", officers}};
}

Result<Commitment> CommitPairing(const PairSpec& spec) {
  if (auto st = ValidatePairSpec(spec); !st) return st.error();
  auto bytes = internal::TryCanonical(PairSpecToJson(spec));
  if (!bytes) return bytes.error();
  Commitment c{std::move(bytes).value(), ""};
  c.digest = Sha256Hex(c.document);
  return c;
}

Result<PairSpec> ParsePairCommitment(const std::string& document) {
  auto env = internal::ParseCommitmentEnvelope(document, "pairing", kPairProtocol, "team_pairing");
  if (!env) return env.error();
  const Json& j = env.value().j;
  PairSpec spec;
  spec.entropy_source = env.value().entropy_source;
  spec.context = env.value().context;
  if (auto st = ReadString(j, "draw_commitment", "$", spec.draw_commitment); !st) return st.error();
  if (auto st = ReadInt(j, "cap", "$", spec.cap); !st) return st.error();
  for (const char* key : {"departments", "tasks", "officers"})
    if (!j.contains(key) || !j[key].is_array()) return FieldError(std::string("$.") + key, "expected an array");
  for (std::size_t i = 0; i < j["departments"].size(); ++i) {
    std::string path = "$.departments[" + std::to_string(i) + "]";
    DepartmentShare d;
    if (auto st = ReadString(j["departments"][i], "department", path, d.department); !st) return st.error();
    if (auto st = ReadInt(j["departments"][i], "officers", path, d.officers); !st) return st.error();
    spec.departments.push_back(std::move(d));
  }
  for (std::size_t i = 0; i < j["tasks"].size(); ++i) {
    const Json& jt = j["tasks"][i];
    std::string path = "$.tasks[" + std::to_string(i) + "]";
    PairTask t;
    if (auto st = ReadString(jt, "entity_id", path, t.entity_id); !st) return st.error();
    if (auto st = ReadString(jt, "region", path, t.region); !st) return st.error();
    if (auto st = ReadStrings(jt, "last_inspectors", path, t.last_inspectors); !st) return st.error();
    if (auto st = ReadStrings(jt, "requested_recusals", path, t.requested_recusals); !st) return st.error();
    if (!jt.contains("requirements") || !jt["requirements"].is_array())
      return FieldError(path + ".requirements", "expected an array");
    for (std::size_t r = 0; r < jt["requirements"].size(); ++r) {
      std::string rp = path + ".requirements[" + std::to_string(r) + "]";
      Requirement req;
      if (auto st = ReadString(jt["requirements"][r], "department", rp, req.department); !st) return st.error();
      if (auto st = ReadString(jt["requirements"][r], "qualification", rp, req.qualification); !st) return st.error();
      t.requirements.push_back(std::move(req));
    }
    spec.tasks.push_back(std::move(t));
  }
  for (std::size_t i = 0; i < j["officers"].size(); ++i) {
    const Json& jo = j["officers"][i];
    std::string path = "$.officers[" + std::to_string(i) + "]";
    PairOfficer o;
    if (auto st = ReadString(jo, "id", path, o.id); !st) return st.error();
    if (auto st = ReadString(jo, "department", path, o.department); !st) return st.error();
    if (auto st = ReadString(jo, "status", path, o.status); !st) return st.error();
    if (auto st = ReadStrings(jo, "jurisdictions", path, o.jurisdictions); !st) return st.error();
    if (auto st = ReadStrings(jo, "qualifications", path, o.qualifications); !st) return st.error();
    if (auto st = ReadStrings(jo, "conflicts", path, o.conflicts); !st) return st.error();
    spec.officers.push_back(std::move(o));
  }
  if (auto st = ValidatePairSpec(spec); !st) return st.error();
  return spec;
}

}  // namespace suiji::sampler
