// Synthetic registers (entities, officers, inspection items) in the import formats, for demos, tests
// and benchmarks. Everything is a deterministic function of GenOptions::seed (see rng.h).
//
// Entities: valid USCCs (correct check characters and GB 11714 organisation-code check digits,
// region = a county of the province from RegionTable), about 3% legacy identifiers and 5% 15-digit
// registration numbers, all identifiers unique; Chinese 企业类型 and 登记状态 wording; industries and
// special registers (食品 etc.) consistent; a few deregistered and revoked.
// Officers: SAMR mostly, MEE and NMPA too; jurisdictions are counties (or cities, or the province
// when there are too few officers) and together cover every county of the entities; qualifications
// match the items' required qualifications; about 3% declare conflicts with real generated entities.
// Items: a realistic list (simple shape), SAMR, MEE and NMPA items with legal basis.
//
// Writing streams: entities are never held in memory (1,000,000 rows take constant memory).
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/region.h"
#include "core/result.h"

namespace suiji::gen {

struct GenOptions {
  std::uint64_t seed = 1;
  std::int64_t entities = 1000;
  std::int64_t officers = 100;
  std::int64_t items = 24;
  std::string province = "51";  // the 2-digit province prefix of every region code
  bool bom = false;             // write a UTF-8 BOM (Excel)
};

struct GenSummary {
  std::int64_t entities = 0, uscc = 0, regno = 0, legacy = 0, deregistered = 0, revoked = 0;
  std::int64_t officers = 0, officers_with_conflicts = 0, items = 0;
  std::vector<std::string> counties;  // the county codes entities were spread over
};

// The county-level codes of a province (2-digit prefix); error gen.province when there are none.
Result<std::vector<std::string>> ProvinceCounties(const RegionTable& regions, const std::string& province);

// Deterministic entity sequence: entity i depends only on the options and the rows before it.
class EntityStream {
 public:
  EntityStream(const GenOptions& options, std::vector<std::string> counties, const RegionTable& regions);
  Entity Next();
  std::int64_t produced() const { return index_; }

 private:
  struct State;
  std::shared_ptr<State> s_;
  std::int64_t index_ = 0;
};

// Writes the three registers; the streams receive complete CSV files (header first).
Result<GenSummary> GenerateRegisters(const GenOptions& options, const RegionTable& regions, std::ostream& entities,
                                     std::ostream& officers, std::ostream& items);
// Entities only (benchmarks).
Result<GenSummary> GenerateEntities(const GenOptions& options, const RegionTable& regions, std::ostream& out);

// The item list the generator uses (also the qualifications officers are given).
std::vector<InspectionItem> GeneratedItems(std::int64_t count);

// GB 11714 organisation code check character for 8 code characters ('0'-'9', 'X').
char OrgCodeCheckChar(std::string_view first8);

}  // namespace suiji::gen
