// ResultCodes: the vocabulary of inspection results (抽查检查结果), data/reference/inspection_results.csv:
// a stable code, the inspection-history outcome the sampler and the credit indicators read, whether it
// counts as a problem found, and the Chinese and English labels the public record shows.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suiji {

struct ResultCode {
  std::string code;     // e.g. "no_problem", "corrected"
  std::string outcome;  // no_problem | problem | problem_corrected | not_found | no_activity | refused | other
  bool problem = false;
  std::string label_zh, label_en;
};

class ResultCodes {
 public:
  // Columns code,outcome,problem,label_zh,label_en. Errors: result_codes.table naming the line.
  static Result<ResultCodes> LoadCsv(const std::string& path);
  // <data dir>/reference/inspection_results.csv, loaded once; an unreadable file leaves it empty with
  // the reason in error().
  static const ResultCodes& Default();

  // By code or by either label (exact); nullptr when none.
  const ResultCode* Find(std::string_view code_or_label) const;
  const std::vector<ResultCode>& all() const { return codes_; }
  const std::string& error() const { return error_; }

 private:
  std::vector<ResultCode> codes_;
  std::string error_;
};

}  // namespace suiji
