#include "core/result_codes.h"

#include <fstream>
#include <set>
#include <sstream>

#include "core/region.h"

namespace suiji {
namespace {

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else if (c != '\r') out.back() += c;
  }
  return out;
}

}  // namespace

Result<ResultCodes> ResultCodes::LoadCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"result_codes.table", "cannot read " + path, "path"};
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  if (SplitComma(line) != std::vector<std::string>{"code", "outcome", "problem", "label_zh", "label_en"})
    return Error{"result_codes.table", path + ": the header must be code,outcome,problem,label_zh,label_en", "header"};
  static const std::set<std::string> outcomes{"no_problem", "problem", "problem_corrected", "not_found",
                                               "no_activity", "refused",   "other"};
  ResultCodes t;
  std::set<std::string> seen;
  for (int n = 2; std::getline(in, line); ++n) {
    if (line.empty() || line == "\r") continue;
    auto c = SplitComma(line);
    const std::string where = path + ":" + std::to_string(n) + ": ";
    if (c.size() != 5) return Error{"result_codes.table", where + "5 columns expected", "line"};
    if (c[0].empty() || !seen.insert(c[0]).second)
      return Error{"result_codes.table", where + "code '" + c[0] + "' is empty or repeated", "code"};
    if (!outcomes.count(c[1])) return Error{"result_codes.table", where + "outcome '" + c[1] + "' is not one of the history values", "outcome"};
    if (c[2] != "0" && c[2] != "1") return Error{"result_codes.table", where + "problem is 0 or 1", "problem"};
    if (c[3].empty()) return Error{"result_codes.table", where + "label_zh is empty", "label_zh"};
    t.codes_.push_back({c[0], c[1], c[2] == "1", c[3], c[4]});
  }
  if (t.codes_.empty()) return Error{"result_codes.table", path + ": no results", "path"};
  return t;
}

const ResultCodes& ResultCodes::Default() {
  static const ResultCodes table = [] {
    auto t = LoadCsv(DataDir() + "/reference/inspection_results.csv");
    if (t.ok()) return std::move(t).value();
    ResultCodes empty;
    empty.error_ = t.error().message;
    return empty;
  }();
  return table;
}

const ResultCode* ResultCodes::Find(std::string_view v) const {
  for (const auto& c : codes_)
    if (c.code == v || c.label_zh == v || c.label_en == v) return &c;
  return nullptr;
}

}  // namespace suiji
