#include "reports/stats.h"

namespace suiji::reports {

void Tally::Add(const TaskFacts& t) {
  ++tasks;
  if (!t.published()) return;
  ++published;
  if (t.problem) ++problems;
  if (t.late()) ++late;
  else ++on_time;
  if (!t.corrections.empty()) ++corrected;
  for (const auto& o : t.objections) {
    ++objections;
    if (o.state == "upheld") ++upheld;
  }
}

std::map<std::string, Tally> TallyBy(const std::vector<TaskFacts>& tasks,
                                     const std::function<std::string(const TaskFacts&)>& key) {
  std::map<std::string, Tally> out;
  for (const auto& t : tasks) {
    std::string k = key(t);
    if (!k.empty()) out[k].Add(t);
  }
  return out;
}

Tally TallyAll(const std::vector<TaskFacts>& tasks) {
  Tally t;
  for (const auto& x : tasks) t.Add(x);
  return t;
}

std::string IndustrySection(const std::string& industry) {
  if (industry.empty() || industry[0] < 'A' || industry[0] > 'T') return "";
  return industry.substr(0, 1);
}

Text IndustrySectionName(const std::string& section) {
  // GB/T 4754-2017 门类.
  static const std::map<std::string, Text> names{
      {"A", {"农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"}},
      {"B", {"采矿业", "Mining"}},
      {"C", {"制造业", "Manufacturing"}},
      {"D", {"电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water"}},
      {"E", {"建筑业", "Construction"}},
      {"F", {"批发和零售业", "Wholesale and retail trade"}},
      {"G", {"交通运输、仓储和邮政业", "Transport, storage and post"}},
      {"H", {"住宿和餐饮业", "Accommodation and catering"}},
      {"I", {"信息传输、软件和信息技术服务业", "Information transmission, software and IT services"}},
      {"J", {"金融业", "Finance"}},
      {"K", {"房地产业", "Real estate"}},
      {"L", {"租赁和商务服务业", "Leasing and business services"}},
      {"M", {"科学研究和技术服务业", "Scientific research and technical services"}},
      {"N", {"水利、环境和公共设施管理业", "Water conservancy, environment and public facilities"}},
      {"O", {"居民服务、修理和其他服务业", "Resident, repair and other services"}},
      {"P", {"教育", "Education"}},
      {"Q", {"卫生和社会工作", "Health and social work"}},
      {"R", {"文化、体育和娱乐业", "Culture, sports and entertainment"}},
      {"S", {"公共管理、社会保障和社会组织", "Public administration, social security and social organisations"}},
      {"T", {"国际组织", "International organisations"}}};
  auto it = names.find(section);
  return it == names.end() ? Text{section, section} : it->second;
}

std::vector<StratumCount> StratumCounts(const DrawFacts& draw, const std::vector<TaskFacts>& tasks) {
  std::vector<StratumCount> out;
  for (const auto& s : draw.strata) {
    StratumCount c{s.stratum, s.population, s.quota, 0, 0};
    for (const auto& t : tasks)
      if (t.draw_id == draw.draw_id && t.stratum == s.stratum && t.published()) {
        ++c.inspected;
        if (t.problem) ++c.problems;
      }
    out.push_back(c);
  }
  return out;
}

}  // namespace suiji::reports
