#include "data/gen/registers.h"

#include <array>
#include <map>
#include <memory>

#include "core/date.h"
#include "core/identifiers.h"
#include "data/gen/rng.h"
#include "data/import/csv_writer.h"
#include "data/import/schema.h"

namespace suiji::gen {
namespace {

using import::CsvWriter;
using import::RegisterKind;

struct Industry {
  const char* code;
  const char* word;     // used in names
  const char* special;  // special register, or ""
  const char* qualification;
};
const std::vector<Industry>& Industries() {
  static const std::vector<Industry> v = {
      {"F5211", "百货", "", ""},
      {"F5221", "食品", "food", "FOOD"},
      {"F5251", "大药房", "drug", "DRUG"},
      {"H6210", "餐饮", "food", "FOOD"},
      {"H6220", "快餐", "food", "FOOD"},
      {"C1431", "食品", "food", "FOOD"},
      {"C1511", "酒业", "food", "FOOD"},
      {"C3411", "锅炉", "special_equipment", "SPECIAL_EQUIPMENT"},
      {"C2911", "橡胶制品", "industrial_product", "INDUSTRIAL_PRODUCT"},
      {"C3311", "钢结构", "industrial_product", "INDUSTRIAL_PRODUCT"},
      {"E4790", "建筑工程", "", ""},
      {"G5430", "物流", "", ""},
      {"I6510", "软件科技", "", ""},
      {"K7010", "房地产开发", "", ""},
      {"L7212", "投资咨询", "", ""},
      {"M7320", "工程技术", "", ""},
      {"O8010", "家政服务", "", ""},
      {"F5261", "加油站", "special_equipment", "MEASUREMENT"},
      {"A0111", "种植", "", ""},
      {"C2614", "化工", "", "ENVIRONMENT"},
  };
  return v;
}

const std::vector<std::string> kTrade = {"鑫源", "华泰", "金诚", "宏达", "恒通", "天府", "蜀香", "锦程", "瑞丰", "安康",
                                         "永盛", "佳和", "新世纪", "博远", "川西", "德润", "明辉", "顺达", "福满", "嘉禾",
                                         "众合", "兴隆", "汇丰源", "长虹桥", "青城", "峨眉", "巴山", "蓉城", "万家", "康泰"};
const std::vector<std::string> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
                                            "马", "朱", "胡", "郭", "何", "罗", "高", "林", "郑", "梁", "谢", "唐"};
const std::vector<std::string> kGiven = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
                                         "涛", "明", "超", "秀英", "建华", "志强", "晓东", "海燕", "丽华", "国平", "春梅", "红"};
const std::vector<std::string> kStreets = {"人民路", "建设路", "解放路", "中山路", "青年路", "光明街", "文化路", "新华街",
                                           "府河路", "锦江大道", "滨江路", "工业园区"};

std::string Digits(std::uint64_t v, int width) {
  std::string s(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i, v /= 10) s[static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
  return s;
}

// An affine permutation of [0, 10^k): a*i + b with a coprime to 10, so identifiers never repeat.
struct Perm {
  std::uint64_t a, b, mod;
  Perm(Rng& rng, std::uint64_t m) : mod(m) {
    a = rng.Below(m) | 1;
    if (a % 5 == 0) a += 2;
    b = rng.Below(m);
  }
  std::uint64_t operator()(std::uint64_t i) const {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(a) * i + b) % mod);
  }
};

std::string PersonName(Rng& rng) { return rng.Pick(kSurnames) + rng.Pick(kGiven); }

std::string ShortPlace(const std::string* name) {
  if (!name) return "";
  std::string n = *name;
  for (std::string_view suffix : {"自治县", "区", "县", "市"})
    if (n.size() > suffix.size() + 3 && n.ends_with(suffix)) return n.substr(0, n.size() - suffix.size());
  return n;
}

}  // namespace

char OrgCodeCheckChar(std::string_view first8) {
  static const int kW[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  if (first8.size() != 8) return '\0';
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    char c = first8[static_cast<std::size_t>(i)];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
    if (v < 0) return '\0';
    sum += v * kW[i];
  }
  int r = 11 - sum % 11;
  return r == 10 ? 'X' : r == 11 ? '0' : static_cast<char>('0' + r);
}

Result<std::vector<std::string>> ProvinceCounties(const RegionTable& regions, const std::string& province) {
  if (province.size() != 2) return Error{"gen.province", "--province is a 2-digit province code such as 51", "province"};
  std::vector<std::string> out;
  for (const auto& c : regions.CountyCodes())
    if (c.compare(0, 2, province) == 0) out.push_back(c);
  if (out.empty()) return Error{"gen.province", "no county codes start with '" + province + "' in the region table", "province"};
  return out;
}

struct EntityStream::State {
  GenOptions opt;
  std::vector<std::string> counties;
  const RegionTable* regions;
  Rng rng;
  Perm perm;
  State(const GenOptions& o, std::vector<std::string> c, const RegionTable& r)
      : opt(o), counties(std::move(c)), regions(&r), rng(o.seed), perm(rng, 100000000ull) {}
};

EntityStream::EntityStream(const GenOptions& options, std::vector<std::string> counties, const RegionTable& regions)
    : s_(std::make_shared<State>(options, std::move(counties), regions)) {}

Entity EntityStream::Next() {
  Rng& rng = s_->rng;
  const std::uint64_t i = static_cast<std::uint64_t>(index_++);
  Entity e;
  e.region = rng.Pick(s_->counties);
  const Industry& ind = rng.Pick(Industries());
  e.industry = ind.code;
  // Kind of entity: company family 60%, individual business 35%, cooperative 5%.
  unsigned t = static_cast<unsigned>(rng.Below(100));
  char category;
  std::string type_word, suffix;
  const std::string place = ShortPlace(s_->regions->Name(e.region));
  if (t < 60) {
    category = '1';
    unsigned u = static_cast<unsigned>(rng.Below(100));
    if (u < 80) { type_word = "有限责任公司（自然人投资或控股）"; suffix = "有限公司"; }
    else if (u < 86) { type_word = "股份有限公司"; suffix = "股份有限公司"; }
    else if (u < 92) { type_word = "有限责任公司分公司"; suffix = "有限公司" + place + "分公司"; }
    else if (u < 96) { type_word = "合伙企业"; suffix = "企业（有限合伙）"; }
    else { type_word = "个人独资企业"; suffix = "经营部"; }
  } else if (t < 95) {
    category = '2';
    type_word = "个体工商户";
    suffix = rng.PerMille(500) ? "店" : "经营部";
  } else {
    category = '3';
    type_word = "农民专业合作社";
    suffix = "专业合作社";
  }
  e.entity_type = type_word;
  e.name = place + rng.Pick(kTrade) + ind.word + suffix;
  // Identifier: 3% legacy, 5% registration number, else USCC. The body is a permutation of the index.
  const std::string body = Digits(s_->perm(i), 8);
  unsigned k = static_cast<unsigned>(rng.Below(1000));
  if (k < 30) {
    e.id.kind = IdKind::kLegacy;
    e.id.value = (k % 2 == 0) ? "企独川总字第" + body + "号" : e.region + "NA" + body + "X";
  } else if (k < 80) {
    std::string first14 = e.region + body;
    e.id = {first14 + RegNoCheckDigit(first14), IdKind::kRegistrationNumber};
  } else {
    std::string org = body + OrgCodeCheckChar(body);
    std::string first17 = std::string("9") + category + e.region + org;
    e.id = {first17 + UsccCheckChar(first17), IdKind::kUscc};
  }
  unsigned st = static_cast<unsigned>(rng.Below(1000));
  e.status = st < 20 ? "注销" : st < 28 ? "吊销，未注销" : "存续";
  Date from = DateFromYmd(1995, 1, 1), to = DateFromYmd(2025, 12, 31);
  e.established = FormatDate(from + static_cast<int>(rng.Below(static_cast<std::uint64_t>(to - from))));
  e.address = (s_->regions->Name(e.region) ? *s_->regions->Name(e.region) : "") + rng.Pick(kStreets) +
              std::to_string(1 + rng.Below(300)) + "号";
  e.legal_rep = PersonName(rng);
  if (*ind.special) e.special_registers.push_back(ind.special);
  return e;
}

std::vector<InspectionItem> GeneratedItems(std::int64_t count) {
  struct T {
    const char *dept, *category, *name, *target, *cls, *methods, *basis, *industries, *qual;
  };
  static const std::vector<T> kTemplates = {
      {"SAMR", "企业信息公示", "年度报告公示信息的检查", "各类企业", "general", "书面检查;网络监测", "《企业信息公示暂行条例》第十二条", "", ""},
      {"SAMR", "企业信息公示", "即时公示信息的检查", "各类企业", "general", "书面检查", "《企业信息公示暂行条例》第十条", "", ""},
      {"SAMR", "登记事项", "住所（经营场所）的检查", "各类市场主体", "general", "实地核查", "《市场主体登记管理条例》第四十五条", "", ""},
      {"SAMR", "食品安全", "食品生产者生产条件的检查", "食品生产者", "key", "实地核查;抽样检验", "《食品安全法》第一百一十条", "C13;C14;C15", "FOOD"},
      {"SAMR", "食品安全", "食品销售者经营行为的检查", "食品经营者", "key", "实地核查", "《食品安全法》第一百一十条;《食品经营许可和备案管理办法》第四十三条", "F5221;F5211", "FOOD"},
      {"SAMR", "食品安全", "餐饮服务提供者经营行为的检查", "餐饮服务提供者", "key", "实地核查", "《食品安全法》第一百一十条", "H62", "FOOD"},
      {"SAMR", "特种设备", "特种设备使用单位的检查", "特种设备使用单位", "key", "实地核查", "《特种设备安全法》第五十七条", "C34;F5261", "SPECIAL_EQUIPMENT"},
      {"SAMR", "产品质量", "工业产品生产许可证获证企业的检查", "获证企业", "key", "实地核查;抽样检验", "《工业产品生产许可证管理条例》第三十七条", "C29;C33", "INDUSTRIAL_PRODUCT"},
      {"SAMR", "产品质量", "产品质量国家监督抽查", "生产者、销售者", "general", "抽样检验", "《产品质量法》第十五条", "C", "INDUSTRIAL_PRODUCT"},
      {"SAMR", "计量", "加油机计量器具的检查", "加油站", "general", "实地核查", "《计量法》第九条", "F5261", "MEASUREMENT"},
      {"SAMR", "广告", "广告发布行为的检查", "广告发布者", "general", "网络监测;书面检查", "《广告法》第四十九条", "", ""},
      {"SAMR", "价格", "明码标价的检查", "经营者", "general", "实地核查", "《价格法》第十三条", "F;H", ""},
      {"NMPA", "药品", "药品零售企业的检查", "药品零售企业", "key", "实地核查", "《药品管理法》第九十九条", "F5251", "DRUG"},
      {"NMPA", "药品", "药品生产企业的检查", "药品生产企业", "key", "实地核查;抽样检验", "《药品管理法》第九十九条", "C27", "DRUG"},
      {"MEE", "生态环境", "排污许可证执行情况的检查", "排污单位", "key", "实地核查;书面检查", "《排污许可管理条例》第二十八条", "C26;C", "ENVIRONMENT"},
      {"MEE", "生态环境", "环境影响评价制度执行情况的检查", "建设单位", "general", "书面检查", "《环境影响评价法》第二十八条", "", "ENVIRONMENT"},
  };
  std::vector<InspectionItem> out;
  std::vector<int> per_dept_seq(3, 0);
  for (std::int64_t k = 0; k < count; ++k) {
    const T& t = kTemplates[static_cast<std::size_t>(k) % kTemplates.size()];
    InspectionItem it;
    it.department = t.dept;
    int& seq = per_dept_seq[it.department == "SAMR" ? 0 : it.department == "NMPA" ? 1 : 2];
    it.code = it.department + "-" + Digits(static_cast<std::uint64_t>(++seq), 3);
    it.category = t.category;
    std::int64_t round = k / static_cast<std::int64_t>(kTemplates.size());
    it.name = t.name;
    if (round > 0) it.name += "（专项" + std::to_string(round) + "）";
    it.target = t.target;
    it.item_class = t.cls;
    it.subject = it.department == "SAMR" ? "市场监管部门" : it.department == "NMPA" ? "药品监管部门" : "生态环境部门";
    auto split = [](std::string_view s) {
      std::vector<std::string> v;
      while (!s.empty()) {
        auto p = s.find(';');
        v.emplace_back(s.substr(0, p));
        if (p == std::string_view::npos) break;
        s.remove_prefix(p + 1);
      }
      return v;
    };
    it.methods = split(t.methods);
    it.legal_basis = split(t.basis);
    it.industries = split(t.industries);
    it.qualification = t.qual;
    out.push_back(std::move(it));
  }
  return out;
}

namespace {

struct EntityPass {
  GenSummary summary;
  // Up to 8 USCC entities per county, for officers' declared conflicts.
  std::map<std::string, std::vector<std::string>> conflict_pool;
};

Result<EntityPass> WriteEntities(const GenOptions& o, const RegionTable& regions, std::ostream& out) {
  auto counties = ProvinceCounties(regions, o.province);
  if (!counties.ok()) return counties.error();
  EntityPass pass;
  pass.summary.counties = counties.value();
  CsvWriter w(out, o.bom);
  w.Row(import::ExportHeader(RegisterKind::kEntities));
  EntityStream stream(o, counties.value(), regions);
  for (std::int64_t i = 0; i < o.entities; ++i) {
    Entity e = stream.Next();
    auto& s = pass.summary;
    ++s.entities;
    if (e.id.kind == IdKind::kUscc) ++s.uscc;
    else if (e.id.kind == IdKind::kRegistrationNumber) ++s.regno;
    else ++s.legacy;
    if (e.status == "注销") ++s.deregistered;
    if (e.status.starts_with("吊销")) ++s.revoked;
    if (e.id.kind == IdKind::kUscc) {
      auto& pool = pass.conflict_pool[e.region];
      if (pool.size() < 8) pool.push_back(e.id.value);
    }
    w.Row(import::ExportRow(e));
  }
  return pass;
}

}  // namespace

Result<GenSummary> GenerateEntities(const GenOptions& options, const RegionTable& regions, std::ostream& out) {
  auto pass = WriteEntities(options, regions, out);
  if (!pass.ok()) return pass.error();
  return pass.value().summary;
}

Result<GenSummary> GenerateRegisters(const GenOptions& o, const RegionTable& regions, std::ostream& entities,
                                     std::ostream& officers, std::ostream& items) {
  auto pass_r = WriteEntities(o, regions, entities);
  if (!pass_r.ok()) return pass_r.error();
  EntityPass pass = std::move(pass_r).value();
  GenSummary s = pass.summary;

  // Items first in memory (small), so officers' qualifications are the ones items ask for.
  auto list = GeneratedItems(o.items);
  {
    CsvWriter w(items, o.bom);
    w.Row(import::ExportHeader(RegisterKind::kItems));
    for (const auto& it : list) w.Row(import::ExportRow(it));
    s.items = static_cast<std::int64_t>(list.size());
  }

  Rng rng(o.seed ^ 0x6f666669636572ull);  // "officer": a stream independent of the entities'
  Perm cert(rng, 1000000000ull);
  std::vector<std::string> cities;
  for (const auto& c : s.counties) {
    std::string city = c.substr(0, 4) + "00";
    if (regions.Contains(city) && (cities.empty() || cities.back() != city)) cities.push_back(city);
  }
  const std::string province_code = o.province + "0000";
  const std::int64_t nc = static_cast<std::int64_t>(s.counties.size());
  const std::vector<std::string> samr_quals = {"FOOD", "SPECIAL_EQUIPMENT", "INDUSTRIAL_PRODUCT", "MEASUREMENT"};
  CsvWriter w(officers, o.bom);
  w.Row(import::ExportHeader(RegisterKind::kOfficers));
  for (std::int64_t j = 0; j < o.officers; ++j) {
    Officer off;
    off.cert_no = o.province + Digits(cert(static_cast<std::uint64_t>(j)), 9);
    off.name = PersonName(rng);
    unsigned d = static_cast<unsigned>(rng.Below(100));
    off.department = d < 85 ? "SAMR" : d < 93 ? "MEE" : "NMPA";
    std::string home;
    if (o.officers >= nc) {
      home = s.counties[static_cast<std::size_t>(j % nc)];
      off.jurisdictions.push_back(home);
      std::string city = home.substr(0, 4) + "00";
      if (rng.PerMille(100) && regions.Contains(city)) off.jurisdictions.push_back(city);
    } else if (!cities.empty() && o.officers >= static_cast<std::int64_t>(cities.size())) {
      home = cities[static_cast<std::size_t>(j % static_cast<std::int64_t>(cities.size()))];
      off.jurisdictions.push_back(home);
    } else {
      home = province_code;
      off.jurisdictions.push_back(home);
    }
    off.org_unit = home + "-" + off.department;
    if (off.department == "SAMR") {
      std::size_t first = rng.Below(samr_quals.size());
      std::size_t n = 1 + rng.Below(3);
      for (std::size_t q = 0; q < n; ++q) off.qualifications.push_back(samr_quals[(first + q) % samr_quals.size()]);
    } else {
      off.qualifications.push_back(off.department == "MEE" ? "ENVIRONMENT" : "DRUG");
    }
    unsigned st = static_cast<unsigned>(rng.Below(100));
    off.status = st < 95 ? "在职" : st < 98 ? "暂停" : "退休";
    if (rng.PerMille(30)) {
      // Conflicts with entities registered in the officer's own area.
      for (const auto& [county, pool] : pass.conflict_pool) {
        if (!RegionTable::Covers(home, county) || pool.empty()) continue;
        off.conflicts.push_back(pool[rng.Below(pool.size())]);
        if (off.conflicts.size() == 2) break;
      }
      if (!off.conflicts.empty()) ++s.officers_with_conflicts;
    }
    w.Row(import::ExportRow(off));
    ++s.officers;
  }
  return s;
}

}  // namespace suiji::gen
