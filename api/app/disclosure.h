// What the public record shows (一公开), in one place for every adapter: the public API's answers and the
// daily bulk files are built here, so both show exactly the same fields. Never: credit scores or
// classes, officers' identities (pseudonyms only), notes, evidence, objection contacts or codes,
// reviewers; a sole trader (个体工商户) named after its operator only as 张*, with no address.
#pragma once
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/app/results.h"
#include "core/domain.h"
#include "core/region.h"
#include "data/store/database.h"
#include "data/store/result_store.h"

namespace suiji::app {

using PublicJson = nlohmann::ordered_json;

// A sole trader's name that is its operator's personal name, and its masked form (the first character
// and one * per other).
bool PersonalName(const Entity& e);
std::string Masked(const std::string& name);
std::string PublicName(const Entity& e);

PublicJson PublicEntity(const Entity& e, const RegionTable& regions);
PublicJson ResultLabel(const std::string& code);  // {code, label_zh, label_en}

// Reads the entities of the records it is asked about (once each) and the pseudonym secret.
struct Disclosure {
  store::Database& db;
  const RegionTable& regions;
  std::string secret;
  std::map<std::string, std::optional<Entity>> entities;

  static Result<Disclosure> Open(store::Database& db, const RegionTable& regions);
  const std::optional<Entity>& EntityOf(const std::string& id);
  // Reads the entities of `ids` not yet read, in one query per 500.
  Status Prefetch(const std::vector<std::string>& ids);
  // One published version as the public sees it.
  PublicJson Version(const store::ResultRecord& r);
  // A whole record: the current version, the history, the objections.
  PublicJson Record(const PublicRecord& p);
};

PublicJson PublicObjection(const store::ObjectionRecord& o);

// The sampling plans (抽查计划) as the public sees them: every plan with a draw (as committed in its
// latest draw, so it is the plan the draw can be verified against) and every stored plan not yet drawn,
// with its items, population, sampling rules, exclusion rules, schedule, entropy source and draws.
// The sampling rule per credit class (e.g. D: 20%) is published policy; no entity's class and no
// stratum's size or members are ever shown. Explicit exclusions are counted, never named.
// `plan_id` empty = every plan, by plan id; else that plan only (an empty array if unknown).
Result<PublicJson> PublicPlans(store::Database& db, const RegionTable& regions, const std::string& plan_id = "");

// Every field name of the public answers with its Chinese label (?lang=zh), as one JSON object's text.
const std::string& FieldLabelsZhJson();

}  // namespace suiji::app
