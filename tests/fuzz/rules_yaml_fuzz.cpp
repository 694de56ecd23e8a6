// libFuzzer target: the YAML parsers of rules/ on any bytes: the sampling plan (rules/plan_parse.h
// ParsePlan), the joint-punishment memoranda (rules/memoranda.h) and the credit model
// (rules/credit_model.h). What it asserts:
//   1. None of them throws (yaml-cpp exceptions must be turned into errors).
//   2. ParsePlan: every error has a code, a message and a line >= 0, errors come in line order; a
//      plan accepted against the shipped region table is accepted without it too; an accepted plan's
//      canonical JSON (PlanToJson) parses back to the same plan with the same digest - the contract in
//      rules/plan_json.h: ParsePlan(CanonicalJson(PlanToJson(p))) == p.
//   3. ParseMemoranda: an accepted file's digest is the SHA-256 of its text, every memorandum has
//      exactly one trigger (a list or a penalty type) and unique measure ids.
//   4. ParseCreditModel: an accepted model has the classes A, B, C, D in order with strictly
//      increasing min_score, Classify(min_score of a class) is that class, and the digest is the
//      SHA-256 of the text.
// fuzz-sources: rules/plan_parse.cpp rules/plan_json.cpp rules/plan_apply.cpp rules/memoranda.cpp rules/credit_model.cpp core/identifiers.cpp core/region.cpp core/sha256.cpp core/date.cpp core/calendar.cpp core/entity_types.cpp core/org_units.cpp core/result_codes.cpp
// fuzz-libs: -lyaml-cpp -lcrypto
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>

#include "core/canonical_json.h"
#include "core/region.h"
#include "core/sha256.h"
#include "rules/credit_model.h"
#include "rules/memoranda.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"
#include "tests/fuzz/fuzz_util.h"

namespace r = suiji::rules;
using suiji::fuzz::Check;

namespace {

void CheckPlan(const std::string& text) {
  r::PlanCheck check;
  check.regions = &suiji::fuzz::ShippedRegions();
  r::PlanParse checked = r::ParsePlan(text, "fuzz.yaml", check);
  r::PlanParse plain = r::ParsePlan(text, "fuzz.yaml");
  int last = 0;
  for (const auto& e : checked.errors) {
    Check(!e.code.empty() && !e.message.empty() && e.line >= 0, "a plan error without code, message or line");
    Check(e.line >= last, "plan errors not in line order");
    last = e.line;
  }
  if (checked.ok()) Check(plain.ok(), "a plan accepted with the region table is refused without it");
  if (!plain.ok()) return;
  const std::string canon = suiji::CanonicalJson(r::PlanToJson(plain.plan));
  r::PlanParse again = r::ParsePlan(canon, "canonical.json");
  if (!again.ok()) {
    std::fprintf(stderr, "%s\n%s\n", canon.c_str(), again.errors[0].ToString().c_str());
    Check(false, "a plan's canonical JSON is not a valid plan");
  }
  if (!(again.plan == plain.plan)) {
    std::fprintf(stderr, "%s\n%s\n", canon.c_str(), suiji::CanonicalJson(r::PlanToJson(again.plan)).c_str());
    Check(false, "a plan's canonical JSON parses to a different plan");
  }
  Check(r::PlanDigest(again.plan) == r::PlanDigest(plain.plan), "a plan's digest changes through its JSON");
  (void)r::DescribePlan(plain.plan);
}

void CheckMemoranda(const std::string& text) {
  auto m = r::ParseMemoranda(text, "fuzz.yaml");
  if (!m.ok()) {
    Check(!m.error().code.empty(), "a memoranda error without a code");
    return;
  }
  Check(m.value().digest == suiji::Sha256Hex(text), "memoranda digest is not the SHA-256 of the text");
  for (const auto& memo : m.value().memoranda) {
    Check(memo.trigger.list.has_value() != !memo.trigger.penalty_type.empty(),
          "a memorandum without exactly one trigger");
    std::set<std::string> ids;
    for (const auto& me : memo.measures) Check(ids.insert(me.id).second, "two measures with one id");
  }
}

void CheckModel(const std::string& text) {
  auto m = r::ParseCreditModel(text, "fuzz.yaml");
  if (!m.ok()) {
    Check(!m.error().code.empty(), "a credit model error without a code");
    return;
  }
  const auto& model = m.value();
  Check(model.digest == suiji::Sha256Hex(text), "credit model digest is not the SHA-256 of the text");
  Check(model.classes.size() == 4, "a credit model without exactly four classes");
  for (std::size_t i = 0; i < model.classes.size(); ++i) {
    Check(model.classes[i].cls == static_cast<r::RiskClass>(i), "credit model classes not A, B, C, D in order");
    if (i > 0) {
      Check(model.classes[i].min_score > model.classes[i - 1].min_score || i == 1,
            "credit model min_score not increasing");
      Check(model.Classify(model.classes[i].min_score) == model.classes[i].cls, "Classify(min_score) is not the class");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    CheckPlan(text);
    CheckMemoranda(text);
    CheckModel(text);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rules_yaml_fuzz: exception %s\n", e.what());
    std::abort();
  }
  return 0;
}
