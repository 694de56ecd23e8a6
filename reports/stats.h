// Counts over tasks, grouped by any key (department, region, industry, class, stratum, month): what
// every statistics table of the plan and period reports is made of. Pure.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "reports/estimate.h"
#include "reports/facts.h"

namespace suiji::reports {

struct Tally {
  std::int64_t tasks = 0;       // drawn and paired: a task exists
  std::int64_t published = 0;   // completion's numerator
  std::int64_t problems = 0;    // published with a problem found
  std::int64_t on_time = 0, late = 0;
  std::int64_t objections = 0, upheld = 0;
  std::int64_t corrected = 0;   // published records with a later version
  double completion() const { return tasks ? static_cast<double>(published) / tasks : 0; }
  double problem_rate() const { return published ? static_cast<double>(problems) / published : 0; }
  double on_time_rate() const { return published ? static_cast<double>(on_time) / published : 0; }
  void Add(const TaskFacts& t);
};

// key(task) -> tally; a task whose key is "" is left out.
std::map<std::string, Tally> TallyBy(const std::vector<TaskFacts>& tasks,
                                     const std::function<std::string(const TaskFacts&)>& key);
Tally TallyAll(const std::vector<TaskFacts>& tasks);

// The GB/T 4754 section (门类) letter of an industry code ("F5223" -> "F") and its name.
std::string IndustrySection(const std::string& industry);
Text IndustrySectionName(const std::string& section);

// Per stratum of a draw: N and n from the draw, inspected = published tasks of it, problems among them.
std::vector<StratumCount> StratumCounts(const DrawFacts& draw, const std::vector<TaskFacts>& tasks);

}  // namespace suiji::reports
