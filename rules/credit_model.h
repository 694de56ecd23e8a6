// CreditModel: the versioned credit-risk scoring model, read from a YAML rules file.
//
// A model names indicators from the catalogue below, says how each raw value is transformed and
// normalised, weighs it, and sets the score thresholds of the risk classes A (low) < B < C < D (high).
// Higher scores mean higher risk. The score of an entity is the sum of its contributions:
//     raw x  --missing?-->  x' = impute (stated in the file)  or  x
//     t = transform(x')            identity | log1p | cap | indicator | years
//     z = normalise(t)             linear: (t - center) * (1/scale)   minmax: clip((t - min) * (1/(max-min)), 0, 1)
//     contribution = weight * z    score = sum over indicators in file order
// The model file also carries the list time rules (3-year move, 60-day warning, statutory period).
//
// Parsing never throws: every error is an Error whose message names file, line and field, e.g.
//   "model.yaml:14: indicators[2].weight: 'abc' is not a number".
// Pure: ParseCreditModel works on text; LoadCreditModel is the one function that reads a file.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suiji::rules {

// ---- The indicator catalogue: the names a model may use ----------------------------------------
// Counts over our own registers are never missing (zero is an observation). Indicators that can be
// missing say so, and a model that uses them must state the value to impute.
struct IndicatorInfo {
  std::string_view name;
  std::string_view description;
  bool may_be_missing;
};
const std::vector<IndicatorInfo>& IndicatorCatalogue();
// External feeds (tax, social security, courts...) are named "ext.<source>.<name>" and may be missing.
bool IsExternalIndicator(std::string_view name);
// The catalogue entry, or nullptr; external names get a synthetic entry with may_be_missing = true.
const IndicatorInfo* FindIndicator(std::string_view name);

// ---- The model ------------------------------------------------------------------------------------
enum class Transform { kIdentity, kLog1p, kCap, kIndicator, kYears };
const char* TransformName(Transform t);  // "identity", "log1p", "cap", "indicator", "years"

enum class Normalise { kLinear, kMinMax };

struct IndicatorSpec {
  std::string name;
  Transform transform = Transform::kIdentity;
  double cap = 0;        // kCap: min(x, cap)
  double threshold = 0;  // kIndicator: x > threshold ? 1 : 0
  Normalise normalise = Normalise::kLinear;
  double center = 0, scale = 1;  // kLinear
  double min = 0, max = 1;       // kMinMax
  double weight = 0;
  std::optional<double> impute;  // raw value used when the input is missing (required if it may be)
  std::string note;              // why this indicator and weight: shown in explanations
  int line = 0;                  // where it was defined (1-based)
};

enum class RiskClass : std::uint8_t { kA = 0, kB = 1, kC = 2, kD = 3 };
const char* RiskClassName(RiskClass c);  // "A".."D"
std::optional<RiskClass> ParseRiskClass(std::string_view s);

struct ClassSpec {
  RiskClass cls = RiskClass::kA;
  double min_score = 0;                  // inclusive lower bound; unused for A (everything below B)
  std::string label;                     // e.g. 信用风险低
  std::optional<std::int64_t> sampling_ratio_bp;    // suggested 抽查比例, basis points
  std::optional<std::int64_t> inspections_per_year;  // suggested 抽查频次
};

// The list time rules (see credit/lists.h). Defaults follow 《企业信息公示暂行条例》 (3 years on the
// abnormal list -> serious-violation list) and the example's statutory period of 5 years.
struct ListRules {
  int abnormal_to_serious_years = 3;
  int move_warning_days = 60;
  int serious_period_years = 5;   // removal from the serious-violation list after this period
  int repair_min_years = 1;       // earliest credit repair (early removal) after listing
  int abnormal_removal_days = 0;  // removal from the abnormal list this many days after the cause is fixed
  bool operator==(const ListRules&) const = default;
};

struct CreditModel {
  std::string id;       // e.g. "samr-enterprise-credit"
  std::string version;  // e.g. "2024.1"
  std::string description;
  std::vector<IndicatorSpec> indicators;  // score order
  std::vector<ClassSpec> classes;         // exactly A, B, C, D in order, min_score strictly increasing
  ListRules list_rules;
  std::string digest;  // SHA-256 hex of the file text: the exact model a score was computed with

  std::vector<std::string> IndicatorNames() const;
  RiskClass Classify(double score) const;  // D if score >= D.min_score, else C if >= C.min_score, ...
};

// Parses and validates. `file` is used in error messages only.
Result<CreditModel> ParseCreditModel(std::string_view yaml_text, std::string_view file = "<model>");
Result<CreditModel> LoadCreditModel(const std::string& path);

}  // namespace suiji::rules
