#include "sampler/draw.h"

#include <set>

#include "core/sha256.h"
#include "sampler/commitment_doc.h"
#include "sampler/json_fields.h"
#include "sampler/ticket.h"

namespace suiji::sampler {
using internal::FieldError;
using internal::ReadInt;
using internal::ReadString;
using internal::ReadStrings;

Status ValidateDrawSpec(const DrawSpec& spec) {
  if (!internal::IsLowerHex(spec.plan_digest, 64))
    return Error{"draw.plan_digest", "plan_digest must be 64 lowercase hex characters", "plan_digest"};
  if (spec.reserve < 0) return Error{"draw.reserve", "reserve must be >= 0", "reserve"};
  if (auto st = ValidateEntropySource(spec.entropy_source); !st) return st.error();
  std::set<std::string> names;
  std::set<std::string_view> seen;
  const auto& pop = spec.population;
  for (const auto& s : pop.strata) {
    std::string where = "stratum " + s.name;
    if (s.name.empty()) return Error{"draw.stratum_name", "a stratum has an empty name", "strata"};
    if (!names.insert(s.name).second)
      return Error{"draw.stratum_name", "stratum name '" + s.name + "' appears twice", "strata"};
    for (std::size_t i = 0; i < s.entity_ids.size(); ++i) {
      const std::string& id = s.entity_ids[i];
      if (id.empty()) return Error{"draw.entity_id", where + ": empty entity id at position " + std::to_string(i), "entity_ids"};
      if (i > 0 && !(s.entity_ids[i - 1] < id))
        return Error{"draw.entity_order", where + ": entity ids must be sorted ascending and unique; '" +
                                              s.entity_ids[i - 1] + "' then '" + id + "'", "entity_ids"};
      if (!seen.insert(id).second)
        return Error{"draw.entity_twice", "entity " + id + " is in more than one stratum", "entity_ids"};
    }
    std::int64_t n = static_cast<std::int64_t>(s.entity_ids.size());
    if (s.ratio_bp < 0 || s.ratio_bp > 10000)
      return Error{"draw.ratio", where + ": ratio_bp must be within 0..10000", "ratio_bp"};
    std::int64_t q = rules::Quota(n, s.ratio_bp, s.min_count, s.max_count);
    if (s.quota != q)
      return Error{"draw.quota", where + ": quota " + std::to_string(s.quota) + " but Quota(" +
                                     std::to_string(n) + ", " + std::to_string(s.ratio_bp) + " bp) is " +
                                     std::to_string(q), "quota"};
  }
  for (std::size_t i = 0; i < pop.exclusions.size(); ++i) {
    const auto& e = pop.exclusions[i];
    if (e.entity_id.empty() || e.rule.empty())
      return Error{"draw.exclusion", "exclusion " + std::to_string(i) + " has an empty entity_id or rule", "exclusions"};
    if (i > 0) {
      const auto& p = pop.exclusions[i - 1];
      if (!(std::tie(p.entity_id, p.rule) < std::tie(e.entity_id, e.rule)))
        return Error{"draw.exclusion_order", "exclusions must be sorted by (entity_id, rule) and unique at " +
                                                 e.entity_id + " / " + e.rule, "exclusions"};
    }
    if (seen.count(e.entity_id))
      return Error{"draw.excluded_eligible", "entity " + e.entity_id + " is excluded (" + e.rule +
                                                 ") and yet in a stratum", "exclusions"};
  }
  return OkStatus();
}

Json DrawSpecToJson(const DrawSpec& spec) {
  Json strata = Json::array();
  for (const auto& s : spec.population.strata) {
    Json js{{"name", s.name}, {"ratio_bp", s.ratio_bp}, {"quota", s.quota}, {"entity_ids", s.entity_ids}};
    if (s.min_count) js["min_count"] = *s.min_count;
    if (s.max_count) js["max_count"] = *s.max_count;
    strata.push_back(std::move(js));
  }
  Json exclusions = Json::array();
  for (const auto& e : spec.population.exclusions)
    exclusions.push_back(Json{{"entity_id", e.entity_id}, {"rule", e.rule}, {"reason", e.reason}});
  Json context = Json::object();
  for (const auto& [k, v] : spec.context) context[k] = v;
  return Json{{"protocol", kDrawProtocol},
              {"kind", "entity_draw"},
              {"plan_id", spec.plan_id},
              {"plan_digest", spec.plan_digest},
              {"reserve", spec.reserve},
              {"entropy_source", EntropySourceToJson(spec.entropy_source)},
              {"context", context},
              {"strata", strata},
              {"exclusions", exclusions}};
}

Result<Commitment> CommitDraw(const DrawSpec& spec) {
  if (auto st = ValidateDrawSpec(spec); !st) return st.error();
  auto bytes = internal::TryCanonical(DrawSpecToJson(spec));
  if (!bytes) return bytes.error();
  Commitment c{std::move(bytes).value(), ""};
  c.digest = Sha256Hex(c.document);
  return c;
}

Result<DrawSpec> ParseDrawCommitment(const std::string& document) {
  auto env = internal::ParseCommitmentEnvelope(document, "draw", kDrawProtocol, "entity_draw");
  if (!env) return env.error();
  const Json& j = env.value().j;
  DrawSpec spec;
  spec.entropy_source = env.value().entropy_source;
  spec.context = env.value().context;
  if (auto st = ReadString(j, "plan_id", "$", spec.plan_id); !st) return st.error();
  if (auto st = ReadString(j, "plan_digest", "$", spec.plan_digest); !st) return st.error();
  if (auto st = ReadInt(j, "reserve", "$", spec.reserve); !st) return st.error();
  if (!j.contains("strata") || !j["strata"].is_array()) return FieldError("$.strata", "expected an array");
  for (std::size_t i = 0; i < j["strata"].size(); ++i) {
    const Json& js = j["strata"][i];
    std::string path = "$.strata[" + std::to_string(i) + "]";
    rules::Stratum s;
    if (auto st = ReadString(js, "name", path, s.name); !st) return st.error();
    if (auto st = ReadInt(js, "ratio_bp", path, s.ratio_bp); !st) return st.error();
    if (auto st = ReadInt(js, "quota", path, s.quota); !st) return st.error();
    if (auto st = ReadStrings(js, "entity_ids", path, s.entity_ids); !st) return st.error();
    std::int64_t v = 0;
    if (js.contains("min_count")) {
      if (auto st = ReadInt(js, "min_count", path, v); !st) return st.error();
      s.min_count = v;
    }
    if (js.contains("max_count")) {
      if (auto st = ReadInt(js, "max_count", path, v); !st) return st.error();
      s.max_count = v;
    }
    spec.population.strata.push_back(std::move(s));
  }
  if (!j.contains("exclusions") || !j["exclusions"].is_array())
    return FieldError("$.exclusions", "expected an array");
  for (std::size_t i = 0; i < j["exclusions"].size(); ++i) {
    const Json& je = j["exclusions"][i];
    std::string path = "$.exclusions[" + std::to_string(i) + "]";
    rules::Exclusion e;
    if (auto st = ReadString(je, "entity_id", path, e.entity_id); !st) return st.error();
    if (auto st = ReadString(je, "rule", path, e.rule); !st) return st.error();
    if (auto st = ReadString(je, "reason", path, e.reason); !st) return st.error();
    spec.population.exclusions.push_back(std::move(e));
  }
  if (auto st = ValidateDrawSpec(spec); !st) return st.error();
  return spec;
}

Result<EntityDraw> RevealDraw(const DrawSpec& spec, const std::string& commitment_digest,
                              const std::string& entropy, unsigned threads) {
  auto commit = CommitDraw(spec);
  if (!commit) return commit.error();
  if (commit.value().digest != commitment_digest)
    return Error{"draw.commitment_mismatch", "the population or plan changed after commit: digest is " +
                                                 commit.value().digest + ", committed " + commitment_digest,
                 "commitment"};
  if (auto st = ValidateEntropy(spec.entropy_source, entropy); !st) return st.error();
  EntityDraw draw;
  draw.commitment_digest = commitment_digest;
  draw.entropy = entropy;
  draw.seed_hash = SeedHash(MakeSeed(commitment_digest, entropy));
  for (const auto& s : spec.population.strata) {
    std::int64_t n = static_cast<std::int64_t>(s.entity_ids.size());
    std::int64_t reserve = std::min(spec.reserve, n - s.quota);
    auto picked = SelectSmallest(draw.seed_hash, s.entity_ids, static_cast<std::size_t>(s.quota + reserve), threads);
    StratumDraw sd;
    sd.name = s.name;
    sd.quota = s.quota;
    sd.drawn.assign(picked.begin(), picked.begin() + s.quota);
    sd.reserve.assign(picked.begin() + s.quota, picked.end());
    draw.strata.push_back(std::move(sd));
  }
  return draw;
}

std::vector<std::string> Selected(const StratumDraw& stratum) {
  std::vector<std::string> ids;
  for (const auto& t : stratum.drawn) ids.push_back(t.id);
  for (const auto& sub : stratum.substitutions)
    for (auto& id : ids)
      if (id == sub.out_id) id = sub.in_id;
  return ids;
}

Result<EntityDraw> SubstituteFromReserve(const EntityDraw& draw, const std::string& stratum,
                                         const std::string& entity_id, const std::string& reason) {
  if (reason.empty()) return Error{"substitution.reason", "a substitution needs a reason", "reason"};
  EntityDraw out = draw;
  for (auto& s : out.strata) {
    if (s.name != stratum) continue;
    auto selected = Selected(s);
    if (std::find(selected.begin(), selected.end(), entity_id) == selected.end())
      return Error{"substitution.not_selected", "entity " + entity_id + " is not selected in stratum " + stratum,
                   "entity_id"};
    if (s.substitutions.size() >= s.reserve.size())
      return Error{"substitution.reserve_exhausted", "stratum " + stratum + " has no unused reserve entity left (" +
                                                          std::to_string(s.reserve.size()) + " published)",
                   "stratum"};
    s.substitutions.push_back(Substitution{entity_id, s.reserve[s.substitutions.size()].id, reason});
    return out;
  }
  return Error{"substitution.stratum", "no stratum named " + stratum, "stratum"};
}

}  // namespace suiji::sampler
